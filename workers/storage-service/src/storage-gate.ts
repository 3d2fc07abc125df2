/**
 * storage-service's fault gate (shared/faults/rpc-gate.ts). The gateway sends the S3
 * request's facts with each storage call while storage-service has rules (gateway
 * faults/hops.ts); a request's first call decides for all its calls. Housekeeping calls
 * (discard, release) are never faulted. While storage-service is down every data call fails
 * (or hangs), and while the disk is full every write call fails.
 */
import type { RequestFacts } from "../../../shared/faults/facts";
import type { WaitUntil } from "../../../shared/faults/gate";
import { rpcGate } from "../../../shared/faults/rpc-gate";
import type { Failure } from "../../../shared/s3-errors";

export function storageGate(env: StorageEnv, waitUntil: WaitUntil, facts: RequestFacts | undefined, writes = false): Promise<Failure | undefined> {
  return rpcGate("storage-service", { env, waitUntil, facts, writes });
}
