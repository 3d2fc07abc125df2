/**
 * No object event is lost while queue-service cannot work — down (a service_down anomaly),
 * stopped by a fault rule, or with the whole stack restarted in between (Miniflare's queues
 * live in memory; the events wait in the buckets' outboxes and the stack's start-up sweep
 * finds them). A stack of its own: a service down is global to the stack.
 */
import { PutObjectCommand, PutBucketNotificationConfigurationCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3WithoutKeepAlive, waitFor } from "../helpers/anomalies";
import { addRule, deleteRule, ruleStats } from "../helpers/faults";
import { newBucket } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

let stack: StackProcess;
let s3: S3Client;
let receiver: WebhookReceiver;

beforeAll(async () => {
  [stack, receiver] = await Promise.all([startStackProcess(), startWebhookReceiver()]);
  s3 = s3WithoutKeepAlive(stack.endpoint);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

async function notifiedBucket(prefix: string): Promise<string> {
  const bucket = await newBucket(prefix, s3);
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: { QueueConfigurations: [{ Id: "all", QueueArn: `${receiver.url}/${bucket}`, Events: ["s3:ObjectCreated:*"] }] },
    }),
  );
  return bucket;
}

async function writeObjects(bucket: string, count: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `k${String(i).padStart(2, "0")}`);
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  return keys;
}

async function pendingEvents(bucket: string): Promise<number> {
  const usage = (await (await fetch(`${stack.services["metadata-service"]}/api/v1/buckets`)).json()) as { buckets: Array<{ name: string; pendingEvents: number }> };
  return usage.buckets.find((b: { name: string }) => b.name === bucket)?.pendingEvents ?? -1;
}

async function indexedKeys(bucket: string): Promise<string[]> {
  const response = await fetch(`${stack.services["metadata-service"]}/api/v1/search?bucket=${bucket}`);
  return ((await response.json()) as { objects: Array<{ key: string }> }).objects.map((o) => o.key);
}

/** Every key delivered (at least once) and indexed. */
async function caughtUp(bucket: string, keys: string[], timeoutMs: number): Promise<void> {
  await waitFor(
    `${keys.length} events of ${bucket} delivered and indexed`,
    async () => {
      const delivered = new Set(receiver.at(`/${bucket}`).map((r) => r.body.Records[0].s3.object.key));
      return keys.every((k) => delivered.has(k)) && JSON.stringify(await indexedKeys(bucket)) === JSON.stringify(keys);
    },
    timeoutMs,
  );
}

describe("queue-service unable to work", () => {
  // The outage lasts until the test ends it, once the events are seen waiting: a busy
  // machine only makes it longer, never ends it before the writes or the check.
  it("down › the events wait in the bucket's outbox, then every one is delivered and indexed once it is back", async () => {
    const bucket = await notifiedBucket("qdown");
    const api = stack.services["mock-error-service"];
    const response = await fetch(`${api}/api/v1/metric-anomaly`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "queue down", service: "queue-service", metric_name: "service_up", anomaly_type: "service_down", target_value: 0, duration: "5m", enabled: true }),
    });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await waitFor("queue-service down", async () => (await fetch(`${stack.services["queue-service"]}/health`)).status === 503);
    const keys = await writeObjects(bucket, 10);
    // the bucket's word to queue-service goes out 100 ms after a burst's first write; a
    // second gives a consumer that ignored the outage time to show it (it cannot end first)
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.at(`/${bucket}`)).toHaveLength(0);
    expect(await pendingEvents(bucket)).toBe(10);
    expect(await indexedKeys(bucket)).toEqual([]);

    expect((await fetch(`${api}/api/v1/metric-anomaly/${id}`, { method: "DELETE" })).status).toBe(200);
    await waitFor("queue-service back", async () => (await fetch(`${stack.services["queue-service"]}/health`)).status === 200);
    // the refused message is retried after at most 10 s (object-events.ts)
    await caughtUp(bucket, keys, 30_000);
    expect(await pendingEvents(bucket)).toBe(0);
  }, 90_000);

  it("a fault rule, then a restart of the whole stack › the events recorded before the stop are handled after it", async () => {
    const bucket = await notifiedBucket("qrestart");
    const rule = await addRule(
      { name: "queue stopped", service: "queue-service", conditions: [{ type: "bucket", value: bucket }], action: { type: "http_error", http_code: 503, message: "queue stopped" } },
      stack.services["mock-error-service"],
    );
    const keys = await writeObjects(bucket, 3);
    await waitFor("queue-service refused by the rule", async () => (await ruleStats(rule.id, stack.services["mock-error-service"])).injected > 0);
    expect(receiver.at(`/${bucket}`)).toHaveLength(0);
    expect(await pendingEvents(bucket)).toBe(3);

    await stack.stop();
    stack = await startStackProcess({ dataDir: stack.dataDir, port: stack.port });
    s3 = s3WithoutKeepAlive(stack.endpoint);
    expect(await pendingEvents(bucket)).toBe(3);
    await deleteRule(rule.id, stack.services["mock-error-service"]);
    await caughtUp(bucket, keys, 30_000);
    expect(await pendingEvents(bucket)).toBe(0);
  }, 120_000);
});
