/**
 * Bucket notifications end to end: a configuration written with the SDK, object changes made
 * with the SDK, and the events as a webhook receiver (this test's own HTTP server) gets them
 * from queue-service — S3's event JSON, filtered by type, prefix and suffix, retried with a
 * doubling backoff when the receiver fails, and recorded as a dead letter when it never stops
 * failing (MOCKS3_WEBHOOK_MAX_ATTEMPTS 5, MOCKS3_WEBHOOK_RETRY_SECONDS 1: the defaults).
 */
import { createHash } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type NotificationConfiguration,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { waitFor } from "../helpers/anomalies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

const s3 = s3Client();
let receiver: WebhookReceiver;

beforeAll(async () => {
  // /flaky fails its first two attempts of each event, /down every attempt
  receiver = await startWebhookReceiver((path, attempt) => (path.startsWith("/down") ? 500 : path.startsWith("/flaky") && attempt <= 2 ? 503 : 200));
});

afterAll(async () => {
  await receiver?.close();
});

function configure(bucket: string, configuration: NotificationConfiguration) {
  return s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: configuration }));
}

const eventsAt = (path: string) => receiver.at(path).map((r) => r.body);
const md5 = (text: string) => createHash("md5").update(text).digest("hex");

describe("PutBucketNotificationConfiguration and GetBucketNotificationConfiguration", () => {
  it("round trip › the targets come back as written, filters included; an empty configuration turns them off", async () => {
    const bucket = await newBucket("notify-config");
    expect(await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }))).not.toHaveProperty("QueueConfigurations");
    await configure(bucket, {
      QueueConfigurations: [
        {
          Id: "images",
          QueueArn: `${receiver.url}/images`,
          Events: ["s3:ObjectCreated:*"],
          Filter: {
            Key: {
              FilterRules: [
                { Name: "prefix", Value: "img/" },
                { Name: "suffix", Value: ".png" },
              ],
            },
          },
        },
      ],
      TopicConfigurations: [{ Id: "removals", TopicArn: `${receiver.url}/removals`, Events: ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"] }],
    });
    const read = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(read.QueueConfigurations).toEqual([
      {
        Id: "images",
        QueueArn: `${receiver.url}/images`,
        Events: ["s3:ObjectCreated:*"],
        Filter: {
          Key: {
            FilterRules: [
              { Name: "Prefix", Value: "img/" },
              { Name: "Suffix", Value: ".png" },
            ],
          },
        },
      },
    ]);
    expect(read.TopicConfigurations).toEqual([{ Id: "removals", TopicArn: `${receiver.url}/removals`, Events: ["s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated"] }]);
    await configure(bucket, {});
    const cleared = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(cleared.QueueConfigurations ?? []).toEqual([]);
    expect(cleared.TopicConfigurations ?? []).toEqual([]);
  });

  it("bad configurations › refused with S3's errors, and the configuration before stays", async () => {
    const bucket = await newBucket("notify-bad");
    const good: NotificationConfiguration = { QueueConfigurations: [{ Id: "keep", QueueArn: `${receiver.url}/keep`, Events: ["s3:ObjectCreated:Put"] }] };
    await configure(bucket, good);
    const refused = [
      { QueueConfigurations: [{ QueueArn: `${receiver.url}/x`, Events: ["s3:ObjectExploded:*"] }] },
      { QueueConfigurations: [{ QueueArn: "arn:aws:sqs:us-east-1:123456789012:queue", Events: ["s3:ObjectCreated:*"] }] },
      { QueueConfigurations: [{ QueueArn: `${receiver.url}/x`, Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "infix", Value: "a" }] } } }] },
      {
        QueueConfigurations: [
          {
            QueueArn: `${receiver.url}/x`,
            Events: ["s3:ObjectCreated:*"],
            Filter: {
              Key: {
                FilterRules: [
                  { Name: "prefix", Value: "a" },
                  { Name: "Prefix", Value: "b" },
                ],
              },
            },
          },
        ],
      },
    ];
    for (const configuration of refused) expect(await s3Error(configure(bucket, configuration as NotificationConfiguration))).toEqual({ code: "InvalidArgument", status: 400 });
    const malformed = await signer().fetch(`${inject("endpoint")}/${bucket}?notification`, {
      method: "PUT",
      body: "<NotificationConfiguration><QueueConfiguration><Event>s3:ObjectCreated:*</Event></QueueConfiguration></NotificationConfiguration>",
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain("<Code>MalformedXML</Code>");
    const read = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(read.QueueConfigurations?.map((q) => q.Id)).toEqual(["keep"]);
  });
});

describe("events", () => {
  it("every kind of change › one S3 event record per change and target, in order, with the request's id, the key URL-encoded and the ETag", async () => {
    const bucket = await newBucket("notify-events");
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await configure(bucket, { QueueConfigurations: [{ Id: "all", QueueArn: `${receiver.url}/all-${bucket}`, Events: ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"] }] });

    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "dir/a file.txt", Body: "hello" }));
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy.txt", CopySource: `${bucket}/dir/a%20file.txt` }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "multi.bin" }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "multi.bin", UploadId: upload.UploadId, PartNumber: 1, Body: "part one" }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "multi.bin", UploadId: upload.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "copy.txt", Tagging: { TagSet: [{ Key: "k", Value: "v" }] } }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "copy.txt" }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "multi.bin", VersionId: "no-such-version" })).catch(() => undefined);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "copy.txt", VersionId: marker.VersionId }));

    const bodies = await waitFor("six events", () => (eventsAt(`/all-${bucket}`).length >= 6 ? eventsAt(`/all-${bucket}`) : undefined));
    // deliveries run side by side, so arrival order is not event order (nor is it on S3): the sequencer is
    const records = bodies.map((b) => b.Records[0]).toSorted((a, b) => (a.s3.object.sequencer < b.s3.object.sequencer ? -1 : 1));
    // the delete of a version that does not exist changed nothing: no event
    expect(records.map((r) => r.eventName)).toEqual([
      "ObjectCreated:Put",
      "ObjectCreated:Copy",
      "ObjectCreated:CompleteMultipartUpload",
      "ObjectTagging:Put",
      "ObjectRemoved:DeleteMarkerCreated",
      "ObjectRemoved:Delete",
    ]);
    const first = bodies.find((b) => b.Records[0] === records[0]);
    expect(first.EventName).toBe("s3:ObjectCreated:Put");
    expect(first.Key).toBe(`${bucket}/dir/a file.txt`);
    expect(records[0]).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      userIdentity: { principalId: expect.any(String) },
      responseElements: { "x-amz-request-id": put.$metadata.requestId },
      s3: {
        s3SchemaVersion: "1.0",
        configurationId: "all",
        bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` },
        object: { key: "dir/a+file.txt", size: 5, eTag: md5("hello"), versionId: put.VersionId },
      },
    });
    expect(Date.parse(records[0].eventTime)).toBeGreaterThan(Date.now() - 60_000);
    expect(new Set(records.map((r) => r.s3.object.sequencer)).size).toBe(records.length);
    expect(records[4].s3.object).toMatchObject({ key: "copy.txt", versionId: marker.VersionId });
    expect(records[4].s3.object).not.toHaveProperty("size");
  });

  it("filters › only the event types and keys a target names reach it", async () => {
    const bucket = await newBucket("notify-filter");
    await configure(bucket, {
      QueueConfigurations: [
        {
          Id: "png",
          QueueArn: `${receiver.url}/png-${bucket}`,
          Events: ["s3:ObjectCreated:Put"],
          Filter: {
            Key: {
              FilterRules: [
                { Name: "prefix", Value: "img/" },
                { Name: "suffix", Value: ".png" },
              ],
            },
          },
        },
        { Id: "removed", QueueArn: `${receiver.url}/removed-${bucket}`, Events: ["s3:ObjectRemoved:*"] },
      ],
    });
    for (const key of ["img/a.jpg", "doc/b.png", "img/c.png", "img/d.png"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "img/a.jpg" }));
    await waitFor("the removal and two puts", () => eventsAt(`/removed-${bucket}`).length === 1 && eventsAt(`/png-${bucket}`).length === 2);
    // targets are matched when the events are taken, in order: nothing else is on its way by now
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(eventsAt(`/removed-${bucket}`).map((b) => b.Records[0].eventName)).toEqual(["ObjectRemoved:Delete"]);
    expect(
      eventsAt(`/png-${bucket}`)
        .map((b) => b.Records[0].s3.object.key)
        .toSorted(),
    ).toEqual(["img/c.png", "img/d.png"]);
  });
});

describe("delivery", () => {
  it("a receiver that fails twice › retried after about 1 s and 2 s, delivered on the third attempt, no dead letter", async () => {
    const bucket = await newBucket("notify-flaky");
    await configure(bucket, { QueueConfigurations: [{ Id: "flaky", QueueArn: `${receiver.url}/flaky-${bucket}`, Events: ["s3:ObjectCreated:*"] }] });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "v" }));
    const attempts = await waitFor("three attempts", () => (receiver.at(`/flaky-${bucket}`).length >= 3 ? receiver.at(`/flaky-${bucket}`) : undefined), 20_000);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1900);
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(receiver.at(`/flaky-${bucket}`)).toHaveLength(3);
    expect((await deadLetters(bucket)).dead_letters).toEqual([]);
  }, 30_000);

  it("a receiver that never answers 2xx › five attempts with a doubling backoff, then one dead letter with the reason and the event", async () => {
    const bucket = await newBucket("notify-dead");
    await configure(bucket, { QueueConfigurations: [{ Id: "dead", QueueArn: `${receiver.url}/down-${bucket}`, Events: ["s3:ObjectCreated:*"] }] });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "lost.txt", Body: "never delivered" }));
    const letters = await waitFor(
      "the dead letter",
      async () => {
        const { dead_letters } = await deadLetters(bucket);
        return dead_letters.length > 0 ? dead_letters : undefined;
      },
      30_000,
    );
    const attempts = receiver.at(`/down-${bucket}`);
    expect(attempts).toHaveLength(5);
    const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
    for (const [i, expected] of [1000, 2000, 4000, 8000].entries()) expect(gaps[i]).toBeGreaterThanOrEqual(expected - 100);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      bucket,
      key: "lost.txt",
      event_name: "ObjectCreated:Put",
      destination: `${receiver.url}/down-${bucket}`,
      configuration_id: "dead",
      attempts: 5,
      reason: "HTTP 500",
      record: { eventName: "ObjectCreated:Put", s3: { object: { key: "lost.txt", size: 15 } } },
    });
    const sidecar = new URL(inject("endpoint"));
    sidecar.port = String(Number(sidecar.port) + 10);
    const metrics = await waitFor("the dead letter counted", async () => {
      const text = await (await fetch(new URL("/metrics", sidecar))).text();
      return /mocks3_notification_deliveries_total\{outcome="dead_lettered"\} [1-9]/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/mocks3_dead_letters [1-9]/);
  }, 40_000);
});

async function deadLetters(bucket: string): Promise<{ dead_letters: any[] }> {
  const response = await fetch(`${inject("services")["queue-service"]}/api/v1/dead-letters?bucket=${bucket}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { dead_letters: any[] };
}
