/**
 * Lifecycle rules carried out, on a stack of its own whose day lasts one second
 * (MOCKS3_LIFECYCLE_DAY_SECONDS=1): current objects expire (by prefix, tag and size), noncurrent
 * versions and lone delete markers go, unfinished multipart uploads are aborted, and every
 * expiry is an s3:LifecycleExpiration:* event at the bucket's webhook; transitions move versions
 * to colder classes (GLACIER then needing a restore). A restore's course runs
 * on the same clock (MOCKS3_RESTORE_SECONDS=1): requested, completed, expired, each an event.
 */
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  type LifecycleRule,
  PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newBucket, s3Client, s3Error } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { startWebhookReceiver, type WebhookReceiver } from "../helpers/webhook-receiver";

let stack: StackProcess;
let s3: S3Client;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  stack = await startStackProcess({ env: { MOCKS3_LIFECYCLE_DAY_SECONDS: "1", MOCKS3_RESTORE_SECONDS: "1" } });
  s3 = s3Client(undefined, stack.endpoint);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

function lifecycle(bucket: string, rules: LifecycleRule[]) {
  return s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
}

async function exists(bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw error;
  }
}

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("lifecycle", () => {
  it("expiration › objects under the rule's prefix, tags and sizes expire after their days, with events; the rest stay", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("lifecycle-expire", s3);
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `${receiver.url}/${bucket}`, Events: ["s3:LifecycleExpiration:*"] }] },
      }),
    );
    await lifecycle(bucket, [
      { ID: "tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 2 } },
      { ID: "tagged", Status: "Enabled", Filter: { And: { Prefix: "tagged/", Tags: [{ Key: "expire", Value: "yes" }], ObjectSizeGreaterThan: 3 } }, Expiration: { Days: 1 } },
      { ID: "off", Status: "Disabled", Filter: { Prefix: "keep/" }, Expiration: { Days: 1 } },
    ]);
    const put = (Key: string, Body: string, Tagging?: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ...(Tagging ? { Tagging } : {}) }));
    await put("tmp/a", "temporary");
    await put("tagged/big", "big enough", "expire=yes");
    await put("tagged/small", "abc", "expire=yes");
    await put("tagged/untagged", "big enough");
    await put("keep/b", "kept");
    expect(await eventually(async () => !(await exists(bucket, "tmp/a")) && !(await exists(bucket, "tagged/big")))).toBe(true);
    for (const key of ["tagged/small", "tagged/untagged", "keep/b"]) expect(await exists(bucket, key)).toBe(true);
    const names = () => receiver.at(`/${bucket}`).flatMap((r) => r.body.Records.map((e: { eventName: string; s3: { object: { key: string } } }) => `${e.eventName} ${e.s3.object.key}`));
    expect(await eventually(async () => names().length >= 2)).toBe(true);
    expect(names().sort()).toEqual(["LifecycleExpiration:Delete tagged/big", "LifecycleExpiration:Delete tmp/a"]);
  });

  it("versions › a versioned bucket gets delete markers, loses noncurrent versions after their days, and then the lone markers", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("lifecycle-versions", s3);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "doc", Body: "one" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "doc", Body: "two" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "gone", Body: "only" }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "gone" }));
    await lifecycle(bucket, [
      { ID: "noncurrent", Status: "Enabled", Filter: {}, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
      { ID: "markers", Status: "Enabled", Filter: {}, Expiration: { ExpiredObjectDeleteMarker: true } },
    ]);
    const versionsOf = async (key: string) => {
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
      return [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].length;
    };
    // "doc" keeps its current version; "gone" loses its old version, then its marker
    expect(await eventually(async () => (await versionsOf("doc")) === 1 && (await versionsOf("gone")) === 0)).toBe(true);
    expect(await exists(bucket, "doc")).toBe(true);
  });

  it("uploads › an unfinished multipart upload is aborted after its days", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("lifecycle-uploads", s3);
    await lifecycle(bucket, [{ ID: "abort", Status: "Enabled", Filter: { Prefix: "" }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "half" }));
    expect(UploadId).toBeTruthy();
    expect(await eventually(async () => ((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).length === 0)).toBe(true);
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "half" })))).status).toBe(404);
  });

  it("transitions › current and noncurrent versions move to colder classes after their days, archived ones refusing GET", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("lifecycle-transitions", s3);
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `${receiver.url}/${bucket}`, Events: ["s3:LifecycleTransition"] }] },
      }),
    );
    const put = (Key: string, Body: string) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body }));
    const { VersionId: older } = await put("cold/doc", "first");
    await put("cold/doc", "second");
    await put("warm/doc", "warm");
    await put("stay/doc", "stay");
    await lifecycle(bucket, [
      {
        ID: "cold",
        Status: "Enabled",
        Filter: { Prefix: "cold/" },
        Transitions: [{ Days: 1, StorageClass: "GLACIER" }],
        NoncurrentVersionTransitions: [{ NoncurrentDays: 1, StorageClass: "DEEP_ARCHIVE" }],
      },
      { ID: "warm", Status: "Enabled", Filter: { Prefix: "warm/" }, Transitions: [{ Days: 0, StorageClass: "STANDARD_IA" }] },
    ]);
    const classOf = async (Key: string, VersionId?: string) => (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key, VersionId }))).StorageClass ?? "STANDARD";
    expect(await eventually(async () => (await classOf("cold/doc")) === "GLACIER" && (await classOf("cold/doc", older)) === "DEEP_ARCHIVE")).toBe(true);
    expect(await classOf("warm/doc")).toBe("STANDARD_IA");
    expect(await classOf("stay/doc")).toBe("STANDARD");
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cold/doc" })))).toEqual({ code: "InvalidObjectState", status: 403 });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "warm/doc" }))).Body!.transformToString()).toBe("warm");
    const events = () => receiver.at(`/${bucket}`).flatMap((r) => r.body.Records.map((e: { eventName: string; s3: { object: { key: string } } }) => `${e.eventName} ${e.s3.object.key}`));
    expect(await eventually(async () => events().length >= 3)).toBe(true);
    expect(events().sort()).toEqual(["LifecycleTransition cold/doc", "LifecycleTransition cold/doc", "LifecycleTransition warm/doc"]);
    // a transition to STANDARD is no transition
    const refused = s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ ID: "up", Status: "Enabled", Filter: {}, Transitions: [{ Days: 1, StorageClass: "STANDARD" as never }] }] },
      }),
    );
    expect((await s3Error(refused)).status).toBe(400);
  });

  it("restore › a GLACIER object's restore is announced when requested, when readable and when its copy expires", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("restore-events", s3);
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: bucket,
        NotificationConfiguration: { QueueConfigurations: [{ QueueArn: `${receiver.url}/${bucket}`, Events: ["s3:ObjectRestore:*"] }] },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "frozen", Body: "thawed bytes", StorageClass: "GLACIER" }));
    await s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: "frozen", RestoreRequest: { Days: 2, GlacierJobParameters: { Tier: "Standard" } } }));
    const names = () => receiver.at(`/${bucket}`).flatMap((r) => r.body.Records.map((e: { eventName: string }) => e.eventName));
    expect(await eventually(async () => names().includes("ObjectRestore:Completed"))).toBe(true);
    // readable once completed: what an application waiting for the event does next
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "frozen" }))).Body!.transformToString()).toBe("thawed bytes");
    expect(await eventually(async () => names().includes("ObjectRestore:Delete"))).toBe(true);
    expect(names()).toEqual(["ObjectRestore:Post", "ObjectRestore:Completed", "ObjectRestore:Delete"]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "frozen" }))).Restore).toBeUndefined();
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "frozen" })))).toEqual({ code: "InvalidObjectState", status: 403 });
  });
});
