/**
 * `connection_reset` against real clients through the front door (the suite's S3 endpoint):
 * the client's TCP connection is reset before any byte of an answer, so node:http sees
 * ECONNRESET; the SDK counts that as a transient error, and with retries recovers once the
 * rule's `max_injections` is spent.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY } from "../helpers/credentials";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl } from "../helpers/object-bodies";
import { rawSigned } from "../helpers/raw-download";
import { endpoint, newBucket, s3Client } from "../helpers/s3";

function retryingClient(): S3Client {
  return new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 3 });
}

async function text(bucket: string, key: string, client = s3Client()): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

describe("connection_reset", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-conn-reset");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "here.txt", Body: "still here" }));
  });

  it("node:http › GET gets ECONNRESET and no answer at all", async () => {
    const rule = scoped(bucket, { action: { type: "connection_reset" } });
    await withRule(rule, async ({ id }) => {
      const outcome = await rawSigned(objectPathUrl(bucket, "here.txt"));
      expect(outcome.ended).toBe("ECONNRESET");
      expect(outcome.message).toBe("read ECONNRESET"); // a TCP RST, not a plain close ("socket hang up")
      expect(outcome.status).toBeUndefined();
      expect(outcome.body.byteLength).toBe(0);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
  });

  it("node:http › a PUT gets ECONNRESET and stores nothing", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "connection_reset" } });
    await withRule(rule, async () => {
      const outcome = await rawSigned(objectPathUrl(bucket, "reset-put.txt"), { method: "PUT", body: "lost" });
      expect(outcome.ended).toBe("ECONNRESET");
      expect(outcome.status).toBeUndefined();
    });
    await expect(text(bucket, "reset-put.txt")).rejects.toMatchObject({ name: "NoSuchKey" });
  });

  it("the SDK without retries fails with the reset", async () => {
    const rule = scoped(bucket, { action: { type: "connection_reset" } });
    await withRule(rule, async () => {
      await expect(text(bucket, "here.txt")).rejects.toMatchObject({ code: "ECONNRESET" });
    });
  });

  it("the SDK with retries › GetObject recovers when max_injections is 1", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "max_injections", value: 1 }], action: { type: "connection_reset" } });
    await withRule(rule, async ({ id }) => {
      const out = await retryingClient().send(new GetObjectCommand({ Bucket: bucket, Key: "here.txt" }));
      expect(await out.Body!.transformToString()).toBe("still here");
      expect(out.$metadata.attempts).toBe(2);
      expect(await ruleStats(id)).toMatchObject({ matched: 2, injected: 1 });
    });
  });

  it("the SDK with retries › PutObject recovers when max_injections is 1, and the object is stored", async () => {
    const rule = scoped(bucket, {
      conditions: [
        { type: "operation", value: "PutObject" },
        { type: "max_injections", value: 1 },
      ],
      action: { type: "connection_reset" },
    });
    await withRule(rule, async () => {
      const out = await retryingClient().send(new PutObjectCommand({ Bucket: bucket, Key: "retried-put.txt", Body: "made it" }));
      expect(out.$metadata.attempts).toBe(2);
    });
    expect(await text(bucket, "retried-put.txt")).toBe("made it");
  });

  it("other connections are untouched while the rule resets this bucket's", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "key", prefix: "reset-me" }], action: { type: "connection_reset" } });
    await withRule(rule, async () => {
      const [reset, fine] = await Promise.all([rawSigned(objectPathUrl(bucket, "reset-me.txt")), text(bucket, "here.txt")]);
      expect(reset.ended).toBe("ECONNRESET");
      expect(fine).toBe("still here");
    });
  });
});
