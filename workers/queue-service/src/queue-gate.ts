/**
 * queue-service's fault gate, run before each piece of its asynchronous work (a bucket's
 * events, one webhook delivery) — the RPC services' gate (shared/faults/rpc-gate.ts), with
 * the work's bucket and key as the facts: while queue-service is down nothing is processed
 * (held while it hangs); a rule's delay slows the work by that much; a rule's error stops it.
 * Stopped work is retried later and never lost: the events wait in their bucket's outbox, a
 * delivery is sent again without counting as an attempt.
 */
import type { RequestFacts } from "../../../shared/faults/facts";
import { rpcGate } from "../../../shared/faults/rpc-gate";

/** Why the work may not run now, or undefined when it may (after any injected delay). */
export async function queueGate(env: QueueEnv, waitUntil: (promise: Promise<unknown>) => void, operation: string, bucket: string, key = ""): Promise<string | undefined> {
  // a fresh id: each piece of work is decided on its own
  const facts: RequestFacts = { requestId: crypto.randomUUID(), operation, method: "QUEUE", bucket, key, headers: {}, query: {} };
  const refused = await rpcGate("queue-service", { env, waitUntil, facts });
  return refused ? (refused.message ?? refused.error) : undefined;
}
