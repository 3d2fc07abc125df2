/**
 * storage-service's fault gate. The gateway sends the S3 request's facts with each storage
 * call while storage-service has rules (gateway faults/hops.ts); a request's first call
 * decides, and that decision holds for all its calls: a delay is waited out once (the slow
 * hop inside the request), an injected error is every call's answer. Housekeeping calls
 * (discard, release) are never faulted.
 *
 * The service states come first, whether or not the call carries facts: while
 * storage-service is down every data call fails (or hangs), and while the disk is full every
 * write call fails (shared/faults/service-down.ts, disk-full.ts).
 */
import type { RequestFacts } from "../../../shared/faults/facts";
import type { WaitUntil } from "../../../shared/faults/gate";
import { delayMs } from "../../../shared/faults/delay-time";
import { diskFullFailure } from "../../../shared/faults/disk-full";
import { injectedFailure } from "../../../shared/faults/injected-error";
import { downFailure, whileDown } from "../../../shared/faults/service-down";
import { rulesSource, serviceGate } from "../../../shared/faults/service-gate";
import { sleep } from "../../../shared/faults/sleep";
import type { Failure } from "../../../shared/s3-errors";

const KEEP_MS = 120_000;
const decisions = new Map<string, { at: number; outcome: Promise<Failure | undefined> }>();

export async function storageGate(env: StorageEnv, waitUntil: WaitUntil, facts: RequestFacts | undefined, writes = false): Promise<Failure | undefined> {
  const loading = serviceGate.ready(rulesSource(env), waitUntil);
  if (loading) await loading;
  const down = await whileDown("storage-service");
  if (down) return downFailure("storage-service", down);
  const full = writes ? serviceGate.diskFull() : undefined;
  if (full) return diskFullFailure(full);
  if (!facts || !serviceGate.has("storage-service")) return undefined;
  const known = decisions.get(facts.requestId);
  if (known) return known.outcome;
  forgetOld();
  const outcome = decide(facts, waitUntil);
  decisions.set(facts.requestId, { at: Date.now(), outcome: outcome.then((o) => o.failure) });
  return (await outcome).failure;
}

async function decide(facts: RequestFacts, waitUntil: WaitUntil): Promise<{ failure?: Failure }> {
  const injection = serviceGate.check("storage-service", facts, waitUntil);
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
