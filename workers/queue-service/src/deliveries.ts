/**
 * The deliveries queue's consumer: one message per event and webhook. Each attempt POSTs the
 * event, as S3's event JSON (`Records`, with MinIO's `EventName` and `Key` beside it), and
 * counts as delivered on a 2xx answer within MOCKS3_WEBHOOK_TIMEOUT_MS. A failed attempt is
 * sent again after a backoff that doubles (MOCKS3_WEBHOOK_RETRY_SECONDS, then twice that …);
 * after MOCKS3_WEBHOOK_MAX_ATTEMPTS the delivery goes to the dead-letter queue with the last
 * reason. Each attempt is a log line (kind "delivery"), which the sidecar counts.
 *
 * The attempts are counted in the message itself, not by the queue's retries: work held back
 * by queue-service's fault gate is sent again without counting as an attempt, so a fault on
 * queue-service delays deliveries and never dead-letters them.
 *
 * A destination that would reach MockS3 itself (shared/own-sockets.ts) is refused when the
 * configuration is written; it is asked again before every attempt (a name may resolve
 * elsewhere by now), and a refused one is a dead letter at once. Redirects are not followed:
 * a 3xx is a failed attempt, so that no receiver can send a delivery on to MockS3.
 */
import { destinationRefusal } from "../../../shared/own-sockets";
import type { Delivery } from "../../../shared/search-index/messages";
import { writeLogLine, type DeliveryLogLine } from "../../../shared/telemetry/log-line";
import { queueGate } from "./queue-gate";
import { queueSettings, retryDelaySeconds, type QueueSettings } from "./settings";

export interface DeliveryMessage extends Delivery {
  /** attempts made so far */
  attempts: number;
}

/** How long work held back by the fault gate waits before it is tried again. */
const HELD_BACK_SECONDS = 1;

export async function handleDeliveries(batch: MessageBatch<DeliveryMessage>, env: QueueEnv, ctx: ExecutionContext): Promise<void> {
  const settings = queueSettings(env);
  const waitUntil = (promise: Promise<unknown>) => ctx.waitUntil(promise);
  await Promise.all(
    batch.messages.map(async (message) => {
      const delivery = message.body;
      if (await queueGate(env, waitUntil, "DeliverNotification", delivery.bucket, delivery.key)) {
        await env.DELIVERIES.send(delivery, { delaySeconds: HELD_BACK_SECONDS });
      } else {
        await attempt(env, settings, delivery, waitUntil);
      }
      message.ack();
    }),
  );
}

async function attempt(env: QueueEnv, settings: QueueSettings, delivery: DeliveryMessage, waitUntil: (promise: Promise<unknown>) => void): Promise<void> {
  const attempts = delivery.attempts + 1;
  const started = Date.now();
  const refused = await destinationRefusal(env.MOCKS3_DESTINATION_GUARD, delivery.destination);
  const { status, failure } = refused ? { status: 0, failure: `refused: ${refused}` } : await post(delivery, settings.timeoutMs);
  const line = { status, duration_ms: Date.now() - started, attempt: attempts };
  if (!failure) {
    log(delivery, { ...line, outcome: "delivered", message: `delivered ${delivery.eventName} of ${delivery.bucket}/${delivery.key} to ${delivery.destination}` }, waitUntil);
    return;
  }
  if (refused || attempts >= settings.maxAttempts) {
    await env.DEAD_LETTERS.send({ ...withoutAttempts(delivery), attempts, reason: failure, failedAt: Date.now() });
    log(delivery, { ...line, outcome: "dead_lettered", message: `gave up on ${delivery.destination} after ${attempts} attempt${attempts > 1 ? "s" : ""}: ${failure}` }, waitUntil);
    return;
  }
  const delaySeconds = retryDelaySeconds(settings, attempts + 1);
  await env.DELIVERIES.send({ ...delivery, attempts }, { delaySeconds });
  log(delivery, { ...line, outcome: "retrying", message: `attempt ${attempts} to ${delivery.destination} failed (${failure}); again in ${delaySeconds} s` }, waitUntil);
}

async function post(delivery: Delivery, timeoutMs: number): Promise<{ status: number; failure?: string }> {
  try {
    const response = await fetch(delivery.destination, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "MockS3-Notifications/1.0" },
      body: JSON.stringify({ EventName: `s3:${delivery.eventName}`, Key: `${delivery.bucket}/${delivery.key}`, Records: [delivery.record] }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: "manual",
    });
    await response.body?.cancel();
    return response.ok ? { status: response.status } : { status: response.status, failure: `HTTP ${response.status}` };
  } catch (error) {
    const timedOut = (error as Error)?.name === "TimeoutError";
    return { status: 0, failure: timedOut ? `no answer within ${timeoutMs} ms` : String(error) };
  }
}

function withoutAttempts({ attempts: _attempts, ...delivery }: DeliveryMessage): Delivery {
  return delivery;
}

type LineFields = Pick<DeliveryLogLine, "status" | "duration_ms" | "attempt" | "outcome" | "message">;

function log(delivery: Delivery, fields: LineFields, waitUntil: (promise: Promise<unknown>) => void): void {
  writeLogLine(
    {
      "@timestamp": new Date().toISOString(),
      kind: "delivery",
      service: "queue-service",
      bucket: delivery.bucket,
      key: delivery.key,
      event_name: delivery.eventName,
      destination: delivery.destination,
      ...fields,
    },
    waitUntil,
  );
}
