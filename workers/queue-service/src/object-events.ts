/**
 * The object-events queue's consumer: a message says "bucket X has events"; this takes them
 * from the bucket's outbox, oldest first, puts each named key's current object into the
 * search index, queues one webhook delivery per event and matching target, and then
 * acknowledges them to the bucket. Anything that fails leaves the events in the outbox and
 * the message is retried with backoff; since the message only points at the outbox, a
 * duplicate costs one empty look and a lost one is made good by the next (or the sweep).
 */
import { eventRecord } from "../../../shared/notifications/event-record";
import { targetsOf } from "../../../shared/notifications/match";
import type { EventBatch, ObjectEventsMessage } from "../../../shared/notifications/object-events";
import { controlPolicy } from "../../../shared/control/guard";
import { indexPost } from "../../../shared/search-index/client";
import type { Delivery } from "../../../shared/search-index/messages";
import type { DeliveryMessage } from "./deliveries";
import { queueGate } from "./queue-gate";
import { queueSettings } from "./settings";

/** Events taken from a bucket per call, and calls before the rest is left to a new message. */
const TAKE = 200;
const ROUNDS = 20;
/** Past this many attempts a message is replaced by a fresh one, so that no retry limit drops it. */
const RENEW_AFTER = 50;
/** Cloudflare Queues' sendBatch takes at most 100 messages. */
const SEND_BATCH = 100;

export async function handleObjectEvents(batch: MessageBatch<ObjectEventsMessage>, env: QueueEnv, ctx: ExecutionContext): Promise<void> {
  const byBucket = new Map<string, Message<ObjectEventsMessage>[]>();
  for (const message of batch.messages) {
    const name = message.body?.bucket;
    if (typeof name !== "string" || name === "") message.ack();
    else if (byBucket.has(name)) byBucket.get(name)!.push(message);
    else byBucket.set(name, [message]);
  }
  for (const [bucket, messages] of byBucket) {
    let failure: string | undefined;
    try {
      failure = await queueGate(env, (p) => ctx.waitUntil(p), "ProcessObjectEvents", bucket);
      if (!failure) await drain(env, bucket);
    } catch (error) {
      failure = String(error);
    }
    for (const message of messages) {
      if (!failure) message.ack();
      else await retry(env, message);
    }
  }
}

/** Handles a bucket's waiting events (what is left after ROUNDS goes to a new message). */
async function drain(env: QueueEnv, bucket: string): Promise<void> {
  const stub = env.BUCKET.getByName(bucket);
  for (let round = 0; round < ROUNDS; round++) {
    const taken = await stub.takeEvents(TAKE);
    if (taken.events.length === 0) return;
    // no index under wrangler dev (npm start runs it): the deliveries go on without it
    const { indexUrl } = queueSettings(env);
    if (indexUrl) await indexPost(indexUrl, "/apply", { bucket, objects: taken.objects }, controlPolicy(env).token);
    await queueDeliveries(env, taken);
    // Fewer than a full take left: those came in while this one ran, and the bucket sends
    // a message after each burst's first event, so they are taken together then (one round
    // per burst, not a round of a few events each time one ends).
    const remaining = await stub.acknowledgeEvents(taken.events.at(-1)!.seq);
    if (remaining < TAKE) return;
  }
  await env.OBJECT_EVENTS.send({ bucket } satisfies ObjectEventsMessage);
}

async function queueDeliveries(env: QueueEnv, taken: EventBatch): Promise<void> {
  const bucket = taken.bucket;
  if (!bucket || taken.targets.length === 0) return;
  const deliveries: DeliveryMessage[] = [];
  for (const event of taken.events) {
    for (const target of targetsOf(event, taken.targets)) {
      const delivery: Delivery = {
        bucket: bucket.name,
        key: event.key,
        eventName: event.name,
        destination: target.destination,
        configurationId: target.id,
        record: eventRecord(event, bucket, target),
      };
      deliveries.push({ ...delivery, attempts: 0 });
    }
  }
  for (let i = 0; i < deliveries.length; i += SEND_BATCH) {
    await env.DELIVERIES.sendBatch(deliveries.slice(i, i + SEND_BATCH).map((body) => ({ body })));
  }
}

/** Again after 1, 2, 4, 8, then every 10 s; a message retried many times is replaced by a fresh one. */
async function retry(env: QueueEnv, message: Message<ObjectEventsMessage>): Promise<void> {
  const delaySeconds = Math.min(10, 2 ** Math.min(message.attempts - 1, 4));
  if (message.attempts < RENEW_AFTER) {
    message.retry({ delaySeconds });
    return;
  }
  await env.OBJECT_EVENTS.send(message.body, { delaySeconds });
  message.ack();
}
