/**
 * What clients do when an answer is lost or a part is sent twice: a CompleteMultipartUpload
 * retried after it succeeded answers as the first one did (S3 remembers completed uploads),
 * so an SDK retrying after a commit_then_error fault reports success; a part number uploaded
 * twice at once keeps the upload that finished last, whichever started first.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { GetObjectCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY } from "../helpers/credentials";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { complete, createUpload, MIN_PART, multipartEtag, uploadParts } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("multipart-retries");
});

async function bytesOf(key: string, versionId?: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

describe("CompleteMultipartUpload retried", () => {
  it("CompleteMultipartUpload › a retry after success answers 200 with the same ETag, bucket, key, location and version", async () => {
    const versioned = await newBucket("multipart-retries-v");
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }));
    for (const target of [bucket, versioned]) {
      const parts = [pattern(MIN_PART, 1), pattern(10, 2)];
      const uploadId = await createUpload(target, "retried/object");
      const done = await uploadParts(target, "retried/object", uploadId, parts);
      const first = await complete(target, "retried/object", uploadId, done);
      const again = await complete(target, "retried/object", uploadId, done);
      expect(first.ETag).toBe(multipartEtag(parts));
      const { $metadata: _a, ...firstAnswer } = first;
      const { $metadata: _b, ...secondAnswer } = again;
      expect(secondAnswer).toEqual(firstAnswer);
      expect(again).toMatchObject({ Bucket: target, Key: "retried/object", Location: `${endpoint()}/${target}/retried/object` });
      if (target === versioned) expect(again.VersionId).toMatch(/.+/);
      else expect(again.VersionId).toBeUndefined();
    }
  });

  it("CompleteMultipartUpload › a retry with another part list answers NoSuchUpload", async () => {
    const uploadId = await createUpload(bucket, "retried/other-list");
    const done = await uploadParts(bucket, "retried/other-list", uploadId, [pattern(MIN_PART, 3), pattern(10, 4)]);
    await complete(bucket, "retried/other-list", uploadId, done);
    expect(await s3Error(complete(bucket, "retried/other-list", uploadId, [done[0]!]))).toEqual({ code: "NoSuchUpload", status: 404 });
    expect(await s3Error(complete(bucket, "retried/other-list", uploadId, [done[0]!, { ...done[1]!, PartNumber: 3 }]))).toEqual({ code: "NoSuchUpload", status: 404 });
    expect(await s3Error(complete(bucket, "retried/other-key", uploadId, done))).toEqual({ code: "NoSuchUpload", status: 404 });
  });

  it("CompleteMultipartUpload › an SDK that retries after a commit_then_error fault reports success, with the object stored once", async () => {
    const retrying = new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 3 });
    const parts = [pattern(MIN_PART, 5), pattern(1000, 6)];
    const uploadId = await createUpload(bucket, "retried/faulted");
    const done = await uploadParts(bucket, "retried/faulted", uploadId, parts);
    const rule = scoped(bucket, {
      conditions: [
        { type: "operation", value: "CompleteMultipartUpload" },
        { type: "max_injections", value: 1 },
      ],
      action: { type: "commit_then_error" },
    });
    await withRule(rule, async ({ id }) => {
      const answer = await complete(bucket, "retried/faulted", uploadId, done, retrying);
      expect(answer.$metadata.attempts).toBe(2);
      expect(answer.ETag).toBe(multipartEtag(parts));
      expect(await ruleStats(id)).toMatchObject({ matched: 2, injected: 1 });
    });
    expect(Buffer.compare(await bytesOf("retried/faulted"), Buffer.concat(parts))).toBe(0);
  });
});

/** An UploadPart whose body is held half-sent until `finish`: started now, finished later. */
async function heldPart(key: string, uploadId: string, body: Uint8Array): Promise<{ finish(): Promise<{ status: number; etag: string }> }> {
  const url = new URL(`${endpoint()}/${bucket}/${key}?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`);
  const signed = await signer().sign(url.toString(), { method: "PUT", headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
  const headers = { ...Object.fromEntries(signed.headers), "content-length": String(body.byteLength) };
  const request = http.request({ host: url.hostname, port: url.port, method: "PUT", path: url.pathname + url.search, headers });
  const answer = new Promise<{ status: number; etag: string }>((resolve, reject) => {
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, etag: String(response.headers.etag) }));
    });
    request.on("error", reject);
  });
  const half = body.byteLength >> 1;
  await new Promise<void>((resolve) => request.write(body.subarray(0, half), () => resolve()));
  return {
    finish: () => {
      request.end(body.subarray(half));
      return answer;
    },
  };
}

describe("a part number uploaded twice", () => {
  for (const order of ["the first started finishes last", "the last started finishes last"] as const) {
    it(`UploadPart › ${order}: its upload is the part, Complete with its ETag succeeds, the other's ETag is InvalidPart`, async () => {
      const key = `twice/${order.split(" ")[1]}`;
      const [early, late] = [pattern(300_000, 7), pattern(300_000, 8)];
      const uploadId = await createUpload(bucket, key);
      const first = await heldPart(key, uploadId, early);
      const second = await heldPart(key, uploadId, late);
      const [a, b] = order === "the first started finishes last" ? [await second.finish(), await first.finish()] : [await first.finish(), await second.finish()];
      expect([a.status, b.status]).toEqual([200, 200]);
      const winner = order === "the first started finishes last" ? early : late;
      expect(b.etag).toBe(`"${createHash("md5").update(winner).digest("hex")}"`);
      expect(await s3Error(complete(bucket, key, uploadId, [{ PartNumber: 1, ETag: a.etag }]))).toEqual({ code: "InvalidPart", status: 400 });
      const done = await complete(bucket, key, uploadId, [{ PartNumber: 1, ETag: b.etag }]);
      expect(done.ETag).toBe(multipartEtag([winner]));
      expect(Buffer.compare(await bytesOf(key), Buffer.from(winner))).toBe(0);
    });
  }
});
