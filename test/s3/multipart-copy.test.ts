/**
 * UploadPartCopy against the real stack: whole sources and ranges (inline, one blob, across
 * the parts of a multipart source), source versions, the copy-source conditions, refusals.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, ListPartsCommand, PutBucketVersioningCommand, PutObjectCommand, UploadPartCopyCommand, type UploadPartCopyCommandInput } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { checksumOf } from "../helpers/crc";
import { expectErrorDocument } from "../helpers/error-document";
import { complete, createUpload, MIB, MIN_PART, multipartEtag, multipartObject } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;
const SMALL = pattern(3000, 21);
const LARGE = pattern(3 * MIB + 17, 22);
const MULTI = [pattern(MIN_PART, 23), pattern(MIB, 24)];

beforeAll(async () => {
  bucket = await newBucket("multipart-copy");
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "small", Body: SMALL }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "large", Body: LARGE }));
  await multipartObject(bucket, "multi", MULTI);
});

function md5(bytes: Uint8Array): string {
  return `"${createHash("md5").update(bytes).digest("hex")}"`;
}

async function copyPart(key: string, uploadId: string, partNumber: number, extra: Partial<UploadPartCopyCommandInput>) {
  return s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber, CopySource: `${bucket}/small`, ...extra }));
}

async function bytesOf(key: string): Promise<Buffer> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

describe("UploadPartCopy", () => {
  it("copies whole sources and ranges — across a multipart source's parts too — into an object", async () => {
    const uploadId = await createUpload(bucket, "assembled");
    const whole = await copyPart("assembled", uploadId, 1, { CopySource: `${bucket}/multi` });
    const wholeBytes = Buffer.concat(MULTI);
    expect(whole.CopyPartResult?.ETag).toBe(md5(wholeBytes));
    expect(whole.CopyPartResult?.LastModified).toBeInstanceOf(Date);
    const span = [MIN_PART - 1000, MIN_PART + 2999];
    const across = await copyPart("assembled", uploadId, 2, { CopySource: `${bucket}/multi`, CopySourceRange: `bytes=${span[0]}-${span[1]}` });
    const acrossBytes = wholeBytes.subarray(span[0], span[1]! + 1);
    expect(across.CopyPartResult?.ETag).toBe(md5(acrossBytes));
    const large = await copyPart("assembled", uploadId, 3, { CopySource: `${bucket}/large`, CopySourceRange: "bytes=1048570-2097160" });
    const small = await copyPart("assembled", uploadId, 4, { CopySourceRange: "bytes=10-19" });
    const parts = [wholeBytes, acrossBytes, Buffer.from(LARGE).subarray(1048570, 2097161), Buffer.from(SMALL).subarray(10, 20)];
    // parts 2 and 3 are under 5 MiB: complete with 1 and 4 only, as the last part may be small
    await expect(
      complete(
        bucket,
        "assembled",
        uploadId,
        [1, 2, 3, 4].map((n, i) => ({ PartNumber: n, ETag: [whole, across, large, small][i]!.CopyPartResult!.ETag })),
      ),
    ).rejects.toMatchObject({ Code: "EntityTooSmall" });
    const done = await complete(bucket, "assembled", uploadId, [
      { PartNumber: 1, ETag: whole.CopyPartResult!.ETag },
      { PartNumber: 4, ETag: small.CopyPartResult!.ETag },
    ]);
    expect(done.ETag).toBe(multipartEtag([parts[0]!, parts[3]!]));
    expect((await bytesOf("assembled")).equals(Buffer.concat([parts[0]!, parts[3]!]))).toBe(true);
  });

  it("copies the version named by versionId, and says which", async () => {
    const versioned = await newBucket("multipart-copy-versions");
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }));
    const old = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: "doc", Body: "old bytes" }));
    await s3.send(new PutObjectCommand({ Bucket: versioned, Key: "doc", Body: "new bytes" }));
    const uploadId = await createUpload(bucket, "from-version");
    const copied = await copyPart("from-version", uploadId, 1, { CopySource: `${versioned}/doc?versionId=${old.VersionId}` });
    expect(copied.CopySourceVersionId).toBe(old.VersionId);
    await complete(bucket, "from-version", uploadId, [{ PartNumber: 1, ETag: copied.CopyPartResult!.ETag }]);
    expect((await bytesOf("from-version")).toString()).toBe("old bytes");
  });

  it("computes the upload's checksum for the copied bytes", async () => {
    const uploadId = await createUpload(bucket, "copy-sum", { ChecksumAlgorithm: "CRC32" });
    const copied = await copyPart("copy-sum", uploadId, 1, { CopySourceRange: "bytes=0-99" });
    expect(copied.CopyPartResult?.ChecksumCRC32).toBe(checksumOf("CRC32", SMALL.subarray(0, 100)));
  });

  it.each([
    [{ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }],
    [{ CopySourceIfNoneMatch: md5(SMALL) }],
    [{ CopySourceIfUnmodifiedSince: new Date("2000-01-01T00:00:00Z") }],
    [{ CopySourceIfModifiedSince: new Date(Date.now() + 3_600_000) }],
  ])("a failing x-amz-copy-source-if-* condition (%j) is PreconditionFailed", async (condition) => {
    const uploadId = await createUpload(bucket, "conditional");
    expect(await s3Error(copyPart("conditional", uploadId, 1, condition))).toEqual({ code: "PreconditionFailed", status: 412 });
  });

  it("a holding condition lets the copy through", async () => {
    const uploadId = await createUpload(bucket, "conditional-ok");
    const copied = await copyPart("conditional-ok", uploadId, 1, { CopySourceIfMatch: md5(SMALL), CopySourceIfModifiedSince: new Date("2000-01-01T00:00:00Z") });
    expect(copied.CopyPartResult?.ETag).toBe(md5(SMALL));
  });

  it.each(["bytes=5-", "bytes=-5", "bytes=10-5", "items=0-1"])("UploadPartCopy › x-amz-copy-source-range %s is InvalidArgument", async (range) => {
    const uploadId = await createUpload(bucket, "ranges");
    const url = `${endpoint()}/${bucket}/ranges?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`;
    const response = await signer().fetch(url, { method: "PUT", headers: { "x-amz-copy-source": `/${bucket}/small`, "x-amz-copy-source-range": range } });
    await expectErrorDocument(response, 400, "InvalidArgument");
  });

  it.each(["bytes=0-3000", "bytes=2999-3000", "bytes=3000-3001"])("UploadPartCopy › x-amz-copy-source-range %s, beyond the 3,000-byte source, is 416 InvalidRange", async (range) => {
    const uploadId = await createUpload(bucket, "ranges");
    const url = `${endpoint()}/${bucket}/ranges?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`;
    const response = await signer().fetch(url, { method: "PUT", headers: { "x-amz-copy-source": `/${bucket}/small`, "x-amz-copy-source-range": range } });
    const error = await expectErrorDocument(response, 416, "InvalidRange");
    expect(error.ActualObjectSize).toBe("3000");
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "ranges", UploadId: uploadId }));
    expect(parts.Parts ?? []).toEqual([]); // nothing stored
  });

  it("a missing source is NoSuchKey; another owner's source is AccessDenied; a missing upload is NoSuchUpload", async () => {
    const uploadId = await createUpload(bucket, "refusals");
    expect(await s3Error(copyPart("refusals", uploadId, 1, { CopySource: `${bucket}/nothing-here` }))).toEqual({ code: "NoSuchKey", status: 404 });
    const foreign = await newBucket("multipart-copy-foreign", s3Client(OTHER_KEY));
    await s3Client(OTHER_KEY).send(new PutObjectCommand({ Bucket: foreign, Key: "theirs", Body: "private" }));
    expect(await s3Error(copyPart("refusals", uploadId, 1, { CopySource: `${foreign}/theirs` }))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(copyPart("refusals", "no-such-upload", 1, {}))).toEqual({ code: "NoSuchUpload", status: 404 });
  });
});
