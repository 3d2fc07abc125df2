/**
 * `error_in_200` against the SDK: CompleteMultipartUpload, CopyObject and UploadPartCopy
 * answered 200 with an `<Error>` document, as S3 documents it may. SDK v3 reads the body of
 * those operations and raises the error (as a 503, so its retry policy may retry it); the
 * operation did not happen: the upload is still open, the copy was not made. A retry works.
 */
import { createHash } from "node:crypto";
import { CopyObjectCommand, HeadObjectCommand, ListPartsCommand, PutObjectCommand, S3Client, S3ServiceException, UploadPartCopyCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY } from "../helpers/credentials";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { complete, createUpload, multipartEtag, uploadParts } from "../helpers/multipart";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

function retryingClient(): S3Client {
  return new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 3 });
}

async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof S3ServiceException)) throw new Error(`expected an S3 error, got ${String(error)}`);
  return error;
}

async function exists(bucket: string, key: string): Promise<boolean> {
  return s3Client()
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .then(
      () => true,
      () => false,
    );
}

describe("error_in_200", () => {
  let bucket: string;
  const source = pattern(30_000, 21);

  beforeAll(async () => {
    bucket = await newBucket("fault-error-in-200");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "source.bin", Body: source }));
  });

  it("CompleteMultipartUpload › the SDK raises the error; the upload stays open and a retry completes it", async () => {
    const parts = [pattern(40_000, 22)];
    const uploadId = await createUpload(bucket, "multi.bin");
    const done = await uploadParts(bucket, "multi.bin", uploadId, parts);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "CompleteMultipartUpload" }], action: { type: "error_in_200", message: "failed after the 200" } });
    await withRule(rule, async ({ id }) => {
      const error = await sdkError(complete(bucket, "multi.bin", uploadId, done));
      expect(error.name).toBe("InternalError");
      expect(error.message).toBe("failed after the 200");
      expect((await ruleStats(id)).injected).toBe(1);
    });
    const listed = await s3Client().send(new ListPartsCommand({ Bucket: bucket, Key: "multi.bin", UploadId: uploadId }));
    expect(listed.Parts?.map((p) => p.PartNumber)).toEqual([1]);
    expect(await exists(bucket, "multi.bin")).toBe(false);
    const out = await complete(bucket, "multi.bin", uploadId, done);
    expect(out.ETag).toBe(multipartEtag(parts));
  });

  it("CompleteMultipartUpload › the SDK's own retry completes it when max_injections is 1", async () => {
    const parts = [pattern(40_000, 23)];
    const uploadId = await createUpload(bucket, "multi-retried.bin");
    const done = await uploadParts(bucket, "multi-retried.bin", uploadId, parts);
    const rule = scoped(bucket, {
      conditions: [
        { type: "operation", value: "CompleteMultipartUpload" },
        { type: "max_injections", value: 1 },
      ],
      action: { type: "error_in_200" },
    });
    await withRule(rule, async ({ id }) => {
      const out = await complete(bucket, "multi-retried.bin", uploadId, done, retryingClient());
      expect(out.ETag).toBe(multipartEtag(parts));
      expect(out.$metadata.attempts).toBe(2);
      expect(await ruleStats(id)).toMatchObject({ matched: 2, injected: 1 });
    });
  });

  it("raw answer › 200, an S3 error document with the rule's code, and the fault headers", async () => {
    const uploadId = await createUpload(bucket, "raw.bin");
    const done = await uploadParts(bucket, "raw.bin", uploadId, [pattern(1000, 24)]);
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "CompleteMultipartUpload" }], action: { type: "error_in_200", error_code: "SlowDown" } });
    await withRule(rule, async ({ id }) => {
      const xml = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${done[0]!.ETag}</ETag></Part></CompleteMultipartUpload>`;
      const response = await signer().fetch(objectPathUrl(bucket, "raw.bin", `?uploadId=${encodeURIComponent(uploadId)}`), { method: "POST", body: xml });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-mocks3-fault-rule")).toBe(id);
      expect(response.headers.get("x-mocks3-fault-action")).toBe("error_in_200");
      const text = await response.text();
      expect(text).toMatch(/^<\?xml[^>]*>\s*<Error>/);
      expect(text).toContain("<Code>SlowDown</Code>");
      expect(text).toContain(`<RequestId>${response.headers.get("x-amz-request-id")}</RequestId>`);
    });
    expect((await s3Client().send(new ListPartsCommand({ Bucket: bucket, Key: "raw.bin", UploadId: uploadId }))).Parts).toHaveLength(1);
  });

  it("CopyObject › the SDK raises the error; the copy is not made, and a retry makes it", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "CopyObject" }], action: { type: "error_in_200", error_code: "InternalError" } });
    const copy = () => s3Client().send(new CopyObjectCommand({ Bucket: bucket, Key: "copy.bin", CopySource: `${bucket}/source.bin` }));
    await withRule(rule, async ({ id }) => {
      expect(await s3Error(copy())).toEqual({ code: "InternalError", status: 503 });
      expect((await ruleStats(id)).injected).toBe(1);
    });
    expect(await exists(bucket, "copy.bin")).toBe(false);
    const out = await copy();
    expect(out.CopyObjectResult?.ETag).toBe(`"${createHash("md5").update(source).digest("hex")}"`);
    expect(await exists(bucket, "copy.bin")).toBe(true);
  });

  it("UploadPartCopy › the SDK raises the error; no part is added", async () => {
    const uploadId = await createUpload(bucket, "part-copy.bin");
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "UploadPartCopy" }], action: { type: "error_in_200" } });
    const copyPart = () => s3Client().send(new UploadPartCopyCommand({ Bucket: bucket, Key: "part-copy.bin", UploadId: uploadId, PartNumber: 1, CopySource: `${bucket}/source.bin` }));
    await withRule(rule, async () => {
      expect((await s3Error(copyPart())).code).toBe("InternalError");
    });
    expect((await s3Client().send(new ListPartsCommand({ Bucket: bucket, Key: "part-copy.bin", UploadId: uploadId }))).Parts ?? []).toEqual([]);
    const out = await copyPart();
    expect(out.CopyPartResult?.ETag).toBe(`"${createHash("md5").update(source).digest("hex")}"`);
  });
});
