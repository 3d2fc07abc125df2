/**
 * queue-service's fault gate, run before each piece of its asynchronous work (a bucket's
 * events, one webhook delivery), as the other services run theirs at their boundary: while
 * queue-service is down nothing is processed; a rule's delay slows the work by that much; a
 * rule's error stops it. Stopped work is retried later and never lost: the events wait in
 * their bucket's outbox, a delivery is sent again without counting as an attempt.
 */
import type { RequestFacts } from "../../../shared/faults/facts";
import { delayMs } from "../../../shared/faults/delay-time";
import { downMessage } from "../../../shared/faults/service-down";
import { rulesSource, serviceGate } from "../../../shared/faults/service-gate";
import { sleep } from "../../../shared/faults/sleep";

const SERVICE = "queue-service";

/** Why the work may not run now, or undefined when it may (after any injected delay). */
export async function queueGate(env: QueueEnv, waitUntil: (promise: Promise<unknown>) => void, operation: string, bucket: string, key = ""): Promise<string | undefined> {
  const loading = serviceGate.ready(rulesSource(env), waitUntil);
  if (loading) await loading;
  const down = serviceGate.down(SERVICE);
  if (down) return downMessage(SERVICE, down);
  if (!serviceGate.has(SERVICE)) return undefined;
  const facts: RequestFacts = { requestId: crypto.randomUUID(), operation, method: "QUEUE", bucket, key, headers: {}, query: {} };
  const injection = serviceGate.check(SERVICE, facts, waitUntil);
  if (!injection) return undefined;
  try {
    if (injection.rule.action.type === "delay") {
      await sleep(delayMs(injection), injection.signal);
      return undefined;
    }
    return `fault rule "${injection.rule.name}" (${injection.rule.action.type}) on ${SERVICE}`;
  } finally {
    injection.done();
  }
}
