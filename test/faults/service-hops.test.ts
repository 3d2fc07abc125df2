/**
 * Rules on the services behind the gateway, felt by an S3 client as their real effect: a
 * storage-service error is the answer to a request that reads or writes object bytes (a
 * PutObject, a GetObject — of an object on the storage nodes, or of one up to
 * MOCKS3_INLINE_MAX_BYTES, 128 KiB here, whose bytes live with its metadata: storage-service's
 * gate is run where they are read), a metadata-service delay slows the request by that much,
 * and a storage-service delay is felt once per S3 request, not per chunk.
 * Every rule is scoped to this file's bucket, as on the gateway.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, UploadPartCopyCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { createUpload } from "../helpers/multipart";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const INLINE_MAX = 128 * 1024;
const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function read(bucket: string, key: string): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

describe("storage-service rules", () => {
  let bucket: string;
  const large = pattern(INLINE_MAX + 1, 31);
  const small = pattern(INLINE_MAX, 32);

  beforeAll(async () => {
    bucket = await newBucket("fault-hop-storage");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "large.bin", Body: large }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "small.bin", Body: small }));
  });

  it("http_error › GetObject of an object above 128 KiB and of one at 128 KiB (kept inline) both get the injected error", async () => {
    const rule = scoped(bucket, { service: "storage-service", action: { type: "http_error", http_code: 503, error_code: "ServiceUnavailable", message: "storage is down" } });
    await withRule(rule, async ({ id }) => {
      expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "large.bin" })))).toEqual({ code: "ServiceUnavailable", status: 503 });
      expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "small.bin" })))).toEqual({ code: "ServiceUnavailable", status: 503 });
      expect(await ruleStats(id)).toMatchObject({ service: "storage-service", matched: 2, injected: 2 });

      const response = await signer().fetch(objectPathUrl(bucket, "large.bin"));
      expect(response.status).toBe(503);
      expect(response.headers.get("x-mocks3-fault-rule")).toBe(id);
      const text = await response.text();
      expect(text).toContain("<Code>ServiceUnavailable</Code>");
      expect(text).toContain("<Message>storage is down</Message>");
    });
  });

  it("http_error › a PutObject gets the injected error and nothing is stored", async () => {
    const rule = scoped(bucket, { service: "storage-service", conditions: [{ type: "operation", value: "PutObject" }], action: { type: "http_error", http_code: 500 } });
    await withRule(rule, async () => {
      const put = s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "refused.bin", Body: pattern(300_000, 33) }));
      expect(await s3Error(put)).toEqual({ code: "InternalError", status: 500 });
    });
    expect((await s3Error(read(bucket, "refused.bin"))).code).toBe("NoSuchKey");
  });

  it("http_error › a rule on another bucket leaves this one alone", async () => {
    const rule = scoped(`${bucket}-other`, { service: "storage-service", action: { type: "http_error", http_code: 500 } });
    await withRule(rule, async ({ id }) => {
      expect(md5(await read(bucket, "large.bin"))).toBe(md5(large));
      expect((await ruleStats(id)).matched).toBe(0);
    });
  });

  it("delay › a 3 MiB PutObject waits 500 ms once, not once per chunk", async () => {
    const body = pattern(3 * 1024 * 1024, 34);
    const rule = scoped(bucket, { service: "storage-service", conditions: [{ type: "operation", value: "PutObject" }], action: { type: "delay", delay: "500ms" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value: out } = await timed(() => s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "three-mib.bin", Body: body })));
      expect(out.ETag).toBe(`"${md5(body)}"`);
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(ms).toBeLessThan(3000);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
    expect(md5(await read(bucket, "three-mib.bin"))).toBe(md5(body));
  });

  it("delay › a GetObject from storage is slowed, and so is an inline one", async () => {
    const rule = scoped(bucket, { service: "storage-service", action: { type: "delay", delay: "500ms" } });
    await withRule(rule, async ({ id }) => {
      const slow = await timed(() => read(bucket, "large.bin"));
      expect(slow.ms).toBeGreaterThanOrEqual(400);
      expect(md5(slow.value)).toBe(md5(large));
      const inline = await timed(() => read(bucket, "small.bin"));
      expect(inline.ms).toBeGreaterThanOrEqual(400);
      expect(md5(inline.value)).toBe(md5(small));
      expect(await ruleStats(id)).toMatchObject({ matched: 2, injected: 2 });
    });
  });

  it("delay › an UploadPartCopy of an inline source is one decision: its read here and its part's write at storage-service count once", async () => {
    const rule = scoped(bucket, { service: "storage-service", conditions: [{ type: "operation", value: "UploadPartCopy" }], action: { type: "delay", delay: "1ms" } });
    const uploadId = await createUpload(bucket, "copied-part.bin");
    await withRule(rule, async ({ id }) => {
      const copied = await s3Client().send(new UploadPartCopyCommand({ Bucket: bucket, Key: "copied-part.bin", UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/small.bin` }));
      expect(copied.CopyPartResult?.ETag).toBe(`"${md5(small)}"`);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
  });

  it("http_error › a PutObject of a 1 KiB object (kept inline) gets the injected error and nothing is stored; a HEAD reads no bytes and passes", async () => {
    const rule = scoped(bucket, { service: "storage-service", conditions: [{ type: "operation", value: ["PutObject", "HeadObject"] }], action: { type: "http_error", http_code: 500 } });
    await withRule(rule, async ({ id }) => {
      const put = s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "refused-small.bin", Body: pattern(1024, 35) }));
      expect(await s3Error(put)).toEqual({ code: "InternalError", status: 500 });
      expect((await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: "small.bin" }))).ContentLength).toBe(INLINE_MAX);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
    expect((await s3Error(read(bucket, "refused-small.bin"))).code).toBe("NoSuchKey");
  });
});

describe("metadata-service rules", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-hop-metadata");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "tiny.txt", Body: "tiny" }));
  });

  it("delay › 500 ms slows a GetObject by at least 400 ms", async () => {
    const rule = scoped(bucket, { service: "metadata-service", action: { type: "delay", delay: "500ms" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value } = await timed(() => read(bucket, "tiny.txt"));
      expect(ms).toBeGreaterThanOrEqual(400);
      expect(Buffer.from(value).toString()).toBe("tiny");
      expect(await ruleStats(id)).toMatchObject({ service: "metadata-service", matched: 1, injected: 1 });
    });
  });

  it("http_error › the SDK gets the injected error, for reads and writes", async () => {
    const rule = scoped(bucket, { service: "metadata-service", action: { type: "http_error", http_code: 500, error_code: "InternalError" } });
    await withRule(rule, async () => {
      expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "tiny.txt" })))).toEqual({ code: "InternalError", status: 500 });
      expect(await s3Error(s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "new.txt", Body: "x" })))).toEqual({ code: "InternalError", status: 500 });
    });
    expect((await s3Error(read(bucket, "new.txt"))).code).toBe("NoSuchKey");
  });

  it("slow_down › the SDK gets SlowDown from a metadata-service rule", async () => {
    const rule = scoped(bucket, { service: "metadata-service", conditions: [{ type: "operation", value: "GetObject" }], action: { type: "slow_down" } });
    await withRule(rule, async () => {
      expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "tiny.txt" })))).toEqual({ code: "SlowDown", status: 503 });
    });
  });
});
