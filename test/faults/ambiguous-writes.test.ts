/**
 * The ambiguous writes against the SDK: `commit_then_error` stores and then answers 500, so
 * the write happened though the client was told it failed; `ack_then_drop` answers as if it
 * succeeded (with the ETag and checksum the client expects) and keeps nothing, deletes
 * nothing. A client that trusts either answer is wrong about what the store holds.
 */
import { createHash } from "node:crypto";
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, PutObjectCommand, type S3ServiceException, UploadPartCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { checksumOf } from "../helpers/crc";
import { faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { complete, createUpload } from "../helpers/multipart";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const etagOf = (body: Uint8Array | string) => `"${createHash("md5").update(body).digest("hex")}"`;

async function headEtag(bucket: string, key: string): Promise<string | undefined> {
  return s3Client()
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .then(
      (out) => out.ETag,
      (error: S3ServiceException) => (error.$metadata.httpStatusCode === 404 ? undefined : Promise.reject(error)),
    );
}

describe("commit_then_error", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-commit-error");
  });

  it("PutObject › answers 500 InternalError, yet the object IS stored with the right ETag", async () => {
    const body = pattern(20_000, 11);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "commit_then_error" } });
    await withRule(rule, async ({ id }) => {
      expect(await s3Error(s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "kept.bin", Body: body })))).toEqual({ code: "InternalError", status: 500 });
      expect(await headEtag(bucket, "kept.bin")).toBe(etagOf(body));
      expect((await ruleStats(id)).injected).toBe(1);
    });
    const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "kept.bin" }));
    expect(Buffer.compare(Buffer.from(await out.Body!.transformToByteArray()), Buffer.from(body))).toBe(0);
  });

  it("PutObject › a large (streamed) object with the rule's own status and message", async () => {
    const body = pattern(300_000, 12);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "commit_then_error", http_code: 503, message: "stored, then failed" } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "kept-large.bin"), { method: "PUT", body });
      expect(response.status).toBe(503);
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "commit_then_error" });
      expect(await response.text()).toContain("<Message>stored, then failed</Message>");
    });
    expect(await headEtag(bucket, "kept-large.bin")).toBe(etagOf(body));
  });

  it("DeleteObject › answers 500, yet the object is gone", async () => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "deleted.txt", Body: "bye" }));
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "DeleteObject" }], action: { type: "commit_then_error" } });
    await withRule(rule, async () => {
      expect((await s3Error(s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: "deleted.txt" })))).status).toBe(500);
    });
    expect(await headEtag(bucket, "deleted.txt")).toBeUndefined();
  });
});

describe("ack_then_drop", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-ack-drop");
  });

  it("PutObject › answers 200 with the body's MD5 as ETag, and nothing is stored", async () => {
    const body = pattern(20_000, 13);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "ack_then_drop" } });
    await withRule(rule, async ({ id }) => {
      const out = await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "dropped.bin", Body: body }));
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(out.ETag).toBe(etagOf(body));
      expect((await ruleStats(id)).injected).toBe(1);
    });
    expect(await headEtag(bucket, "dropped.bin")).toBeUndefined();
  });

  it("PutObject › a large body with a CRC32: the answer's checksum is the body's, the fault headers are there", async () => {
    const body = pattern(300_000, 14);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "ack_then_drop" } });
    await withRule(rule, async ({ id }) => {
      const out = await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "dropped-large.bin", Body: body, ChecksumAlgorithm: "CRC32" }));
      expect(out.ETag).toBe(etagOf(body));
      expect(out.ChecksumCRC32).toBe(checksumOf("CRC32", body));
      const raw = await signer().fetch(objectPathUrl(bucket, "raw-dropped.txt"), { method: "PUT", body: "raw" });
      expect(raw.status).toBe(200);
      expect(raw.headers.get("etag")).toBe(etagOf("raw"));
      expect(faultOf(raw.headers)).toEqual({ rule: id, action: "ack_then_drop" });
    });
    expect(await headEtag(bucket, "dropped-large.bin")).toBeUndefined();
    expect(await headEtag(bucket, "raw-dropped.txt")).toBeUndefined();
  });

  it("PutObject › an overwrite that is dropped leaves the old object as it was", async () => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "old.txt", Body: "old" }));
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "ack_then_drop" } });
    await withRule(rule, async () => {
      const out = await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "old.txt", Body: "new" }));
      expect(out.ETag).toBe(etagOf("new"));
    });
    expect(await headEtag(bucket, "old.txt")).toBe(etagOf("old"));
  });

  it("DeleteObject › answers 204, and the object is still there", async () => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "undeleted.txt", Body: "still here" }));
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "DeleteObject" }], action: { type: "ack_then_drop" } });
    await withRule(rule, async () => {
      const out = await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: "undeleted.txt" }));
      expect(out.$metadata.httpStatusCode).toBe(204);
    });
    expect(await headEtag(bucket, "undeleted.txt")).toBe(etagOf("still here"));
  });

  it("UploadPart › answers with the part's MD5 as ETag; the part is not kept, so Complete fails", async () => {
    const part = pattern(50_000, 15);
    const uploadId = await createUpload(bucket, "multi.bin");
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "UploadPart" }], action: { type: "ack_then_drop" } });
    const etag = await withRule(rule, async () => {
      const out = await s3Client().send(new UploadPartCommand({ Bucket: bucket, Key: "multi.bin", UploadId: uploadId, PartNumber: 1, Body: part }));
      expect(out.ETag).toBe(etagOf(part));
      return out.ETag!;
    });
    const listed = await s3Client().send(new ListPartsCommand({ Bucket: bucket, Key: "multi.bin", UploadId: uploadId }));
    expect(listed.Parts ?? []).toEqual([]);
    expect((await s3Error(complete(bucket, "multi.bin", uploadId, [{ PartNumber: 1, ETag: etag }]))).code).toBe("InvalidPart");
  });
});
