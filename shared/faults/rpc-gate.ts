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
import { delayMs } from "./delay-time";
import { diskFullFailure } from "./disk-full";
import type { RequestFacts } from "./facts";
import type { WaitUntil } from "./gate";
import { injectedFailure } from "./injected-error";
import type { FaultService } from "./fault-services";
import { downFailure, whileDown } from "./service-down";
import { rulesSource, serviceGate } from "./service-gate";
import { sleep } from "./sleep";

const KEEP_MS = 120_000;
const decisions = new Map<string, { at: number; outcome: Promise<Failure | undefined> }>();

export interface RpcGateCall {
  env: Parameters<typeof rulesSource>[0];
  waitUntil: WaitUntil;
  /** the S3 request's facts; absent while the service has no rules (or for housekeeping) */
  facts: RequestFacts | undefined;
  /** the call stores bytes: refused while the disk is full */
  writes?: boolean;
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
  if (!facts || !serviceGate.has(service)) return undefined;
  const known = decisions.get(facts.requestId);
  if (known) return known.outcome;
  forgetOld();
  const outcome = decide(service, facts, waitUntil);
  decisions.set(facts.requestId, { at: Date.now(), outcome: outcome.then((o) => o.failure) });
  return (await outcome).failure;
}

async function decide(service: FaultService, facts: RequestFacts, waitUntil: WaitUntil): Promise<{ failure?: Failure }> {
  const injection = serviceGate.check(service, facts, waitUntil);
  if (!injection) return {};
  try {
    if (injection.rule.action.type === "delay") {
      await sleep(delayMs(injection), injection.signal);
      return {};
    }
    return { failure: injectedFailure(injection.rule) };
  } finally {
    injection.done();
  }
}

function forgetOld(): void {
  const cutoff = Date.now() - KEEP_MS;
  for (const [id, entry] of decisions) {
    if (entry.at >= cutoff && decisions.size < 10_000) break;
    decisions.delete(id);
  }
}
