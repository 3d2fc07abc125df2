/**
 * The fault gate of a service answering over RPC (storage-service, third-party-service). The
 * gateway sends the S3 request's facts with each call while the service has rules; a
 * request's first call decides, and that decision holds for all its calls: a delay is waited
 * out once (the slow hop inside the request), an injected error is every call's answer.
 *
 * The service states come first, whether or not the call carries facts: while the service
 * is down every data call fails (or hangs), and while the disk is full every write call
 * fails (shared/faults/service-down.ts, disk-full.ts).
 */
import type { Failure } from "../s3-errors";
import { waitOut } from "./delay-time";
import { diskFullFailure } from "./disk-full";
import type { RequestFacts } from "./facts";
import type { WaitUntil } from "./gate";
import { injectedFailure } from "./injected-error";
import type { FaultService } from "./fault-services";
import { downFailure, whileDown } from "./service-down";
import { rulesSource, serviceGate } from "./service-gate";

/** a request's decision is kept at least this long after it was taken (and at most twice) */
const KEEP_MS = 60_000;
/** at most this many per generation (the older generation is dropped early beyond it) */
const KEEP_MAX = 20_000;

/**
 * The decisions of requests in flight, in two generations: new ones go into the current
 * one, and once it is KEEP_MS old or holds KEEP_MAX, it becomes the previous one and the
 * previous one is dropped whole. No entry is ever removed one by one: a Map emptied from its
 * front is slow to iterate and look up until it is rebuilt (measured: 13 µs per request).
 */
class Decisions {
  private current = new Map<string, Promise<Failure | undefined>>();
  private previous = new Map<string, Promise<Failure | undefined>>();
  private startedAt = Date.now();

  get(requestId: string): Promise<Failure | undefined> | undefined {
    return this.current.get(requestId) ?? this.previous.get(requestId);
  }

  set(requestId: string, outcome: Promise<Failure | undefined>): void {
    if (this.current.size >= KEEP_MAX || Date.now() - this.startedAt >= KEEP_MS) {
      this.previous = this.current;
      this.current = new Map();
      this.startedAt = Date.now();
    }
    this.current.set(requestId, outcome);
  }
}

const decisions = new Decisions();

export interface RpcGateCall {
  env: Parameters<typeof rulesSource>[0];
  waitUntil: WaitUntil;
  /** the S3 request's facts; absent while the service has no rules (or for housekeeping) */
  facts: RequestFacts | undefined;
  /** the call stores bytes: refused while the disk is full */
  writes?: boolean;
  /** no other call of the request carries its facts (the gateway's inline bytes): nothing to keep */
  once?: boolean;
}

/** The Failure the call answers, or undefined to go on (after any delay). */
export async function rpcGate(service: FaultService, call: RpcGateCall): Promise<Failure | undefined> {
  const { facts, waitUntil } = call;
  const loading = serviceGate.ready(rulesSource(call.env), waitUntil);
  if (loading) await loading;
  const down = await whileDown(service);
  if (down) return downFailure(service, down);
  const full = call.writes ? serviceGate.diskFull() : undefined;
  if (full) return diskFullFailure(full);
  if (!facts || !serviceGate.touches([service], facts)) return undefined;
  if (call.once) return decide(service, facts, waitUntil);
  const known = decisions.get(facts.requestId);
  if (known) return known;
  const outcome = decide(service, facts, waitUntil);
  decisions.set(facts.requestId, outcome);
  return outcome;
}

async function decide(service: FaultService, facts: RequestFacts, waitUntil: WaitUntil): Promise<Failure | undefined> {
  const injection = serviceGate.check(service, facts, waitUntil);
  if (!injection) return undefined;
  try {
    await waitOut(injection);
    return injection.rule.action.type === "delay" ? undefined : injectedFailure(injection.rule);
  } finally {
    injection.done();
  }
}
