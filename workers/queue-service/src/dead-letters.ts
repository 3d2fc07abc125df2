/**
 * The dead-letter queue's consumer: deliveries that never got through are recorded in the
 * search index's dead-letter table (GET /api/v1/dead-letters). Those queue-service gave up
 * on carry their reason; one the queue itself gave up on (its handler failed every retry)
 * says so. Under wrangler dev there is no index to keep them (npm start runs it): they are
 * counted in the log, each delivery's own log line having said it was dead-lettered.
 */
import { controlPolicy } from "../../../shared/control/guard";
import { indexPost } from "../../../shared/search-index/client";
import type { DeadLetter, Delivery } from "../../../shared/search-index/messages";
import { queueSettings } from "./settings";

export async function handleDeadLetters(batch: MessageBatch<DeadLetter | (Delivery & { attempts?: number })>, env: QueueEnv): Promise<void> {
  const letters = batch.messages.map(({ body, attempts }): DeadLetter => {
    if ("reason" in body && typeof body.reason === "string") return body as DeadLetter;
    return { ...body, attempts: body.attempts ?? attempts, reason: "the deliveries queue gave up retrying its handler", failedAt: Date.now() };
  });
  const { indexUrl } = queueSettings(env);
  if (indexUrl) await indexPost(indexUrl, "/dead-letters", letters, controlPolicy(env).token);
  else console.warn(`${letters.length} dead letter(s) not kept: no search index under wrangler dev (npm start runs it)`);
}
