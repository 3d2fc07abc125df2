/**
 * The dead-letter queue's consumer: deliveries that never got through are recorded in the
 * search index's dead-letter table (GET /api/v1/dead-letters). Those queue-service gave up
 * on carry their reason; one the queue itself gave up on (its handler failed every retry)
 * says so.
 */
import { indexPost } from "../../../shared/search-index/client";
import type { DeadLetter, Delivery } from "../../../shared/search-index/messages";
import { queueSettings } from "./settings";

export async function handleDeadLetters(batch: MessageBatch<DeadLetter | (Delivery & { attempts?: number })>, env: QueueEnv): Promise<void> {
  const letters = batch.messages.map(({ body, attempts }): DeadLetter => {
    if ("reason" in body && typeof body.reason === "string") return body as DeadLetter;
    return { ...body, attempts: body.attempts ?? attempts, reason: "the deliveries queue gave up retrying its handler", failedAt: Date.now() };
  });
  await indexPost(queueSettings(env).indexUrl, "/dead-letters", letters);
}
