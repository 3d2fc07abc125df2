/**
 * `corrupt` against real clients: body bytes change on their way out while the status,
 * Content-Length, ETag and stored checksum stay as they were. The SDK with checksum
 * validation (an object uploaded with a CRC32, read with ChecksumMode ENABLED) rejects the
 * body; a client that does not validate gets bytes that differ in exactly `bytes` places.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { checksumOf } from "../helpers/crc";
import { DEFAULT_KEY } from "../helpers/credentials";
import { faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";

const SMALL = 5_000; // kept inline with its metadata
const LARGE = 300_000; // in storage-service, streamed

function differences(a: Uint8Array, b: Uint8Array): number {
  expect(a.byteLength).toBe(b.byteLength);
  let count = 0;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) count++;
  return count;
}

/** A GET as a client that validates nothing: status, headers and the bytes. */
async function plainGet(bucket: string, key: string, headers: Record<string, string> = {}) {
  const response = await signer().fetch(objectPathUrl(bucket, key), { headers });
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
}

describe("corrupt", () => {
  let bucket: string;
  const small = pattern(SMALL, 5);
  const large = pattern(LARGE, 6);
  const stored: Record<string, { etag: string; crc32: string }> = {};

  beforeAll(async () => {
    bucket = await newBucket("fault-corrupt");
    for (const [key, body] of [
      ["small.bin", small],
      ["large.bin", large],
    ] as const) {
      const out = await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ChecksumAlgorithm: "CRC32" }));
      expect(out.ChecksumCRC32).toBe(checksumOf("CRC32", body));
      stored[key] = { etag: out.ETag!, crc32: out.ChecksumCRC32! };
    }
  });

  it("GetObject with ChecksumMode ENABLED › the SDK rejects the corrupted body, inline or streamed", async () => {
    const rule = scoped(bucket, { action: { type: "corrupt" } });
    await withRule(rule, async ({ id }) => {
      for (const key of ["small.bin", "large.bin"]) {
        const reading = s3Client()
          .send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }))
          .then((out) => out.Body!.transformToByteArray());
        await expect(reading, key).rejects.toThrow(/checksum/i);
      }
      expect((await ruleStats(id)).injected).toBe(2);
    });
  });

  it("GetObject with ChecksumMode ENABLED › the same read passes once the rule is gone", async () => {
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "large.bin", ChecksumMode: "ENABLED" }));
    expect(out.ChecksumCRC32).toBe(stored["large.bin"]!.crc32);
    expect(Buffer.compare(Buffer.from(await out.Body!.transformToByteArray()), Buffer.from(large))).toBe(0);
  });

  it("without validation › the bytes differ in exactly `bytes` places; ETag, length and checksum unchanged", async () => {
    const rule = scoped(bucket, { action: { type: "corrupt", bytes: 7 } });
    await withRule(rule, async ({ id }) => {
      for (const [key, body] of [
        ["small.bin", small],
        ["large.bin", large],
      ] as const) {
        const { response, bytes } = await plainGet(bucket, key, { "x-amz-checksum-mode": "ENABLED" });
        expect(response.status).toBe(200);
        expect(response.headers.get("content-length")).toBe(String(body.byteLength));
        expect(response.headers.get("etag")).toBe(stored[key]!.etag);
        expect(response.headers.get("x-amz-checksum-crc32")).toBe(stored[key]!.crc32);
        expect(faultOf(response.headers)).toEqual({ rule: id, action: "corrupt" });
        expect(differences(bytes, body), key).toBe(7);
      }
    });
  });

  it("without validation › one byte by default; an SDK told not to validate hands the corrupted bytes over", async () => {
    const lax = new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 1, responseChecksumValidation: "WHEN_REQUIRED" });
    const rule = scoped(bucket, { action: { type: "corrupt" } });
    await withRule(rule, async () => {
      const out = await lax.send(new GetObjectCommand({ Bucket: bucket, Key: "large.bin" }));
      expect(out.ETag).toBe(stored["large.bin"]!.etag);
      expect(out.ContentLength).toBe(LARGE);
      expect(differences(await out.Body!.transformToByteArray(), large)).toBe(1);
    });
  });

  it("a seeded rule corrupts the same places every time", async () => {
    const rule = scoped(bucket, { seed: 42, conditions: [{ type: "key", prefix: "large" }], action: { type: "corrupt", bytes: 3 } });
    const places = async () => {
      const { bytes } = await plainGet(bucket, "large.bin");
      return [...bytes.keys()].filter((i) => bytes[i] !== large[i]);
    };
    const first = await withRule(rule, places);
    const second = await withRule(rule, places);
    expect(first).toHaveLength(3);
    expect(second).toEqual(first);
  });

  it("a range GET is corrupted within the range; Content-Range and Content-Length unchanged", async () => {
    const rule = scoped(bucket, { action: { type: "corrupt", bytes: 2 } });
    await withRule(rule, async () => {
      const { response, bytes } = await plainGet(bucket, "large.bin", { range: "bytes=1000-1999" });
      expect(response.status).toBe(206);
      expect(response.headers.get("content-range")).toBe(`bytes 1000-1999/${LARGE}`);
      expect(response.headers.get("content-length")).toBe("1000");
      expect(differences(bytes, large.subarray(1000, 2000))).toBe(2);
    });
  });
});
