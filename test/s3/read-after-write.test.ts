/**
 * Every read sees the write before it, also for a key just read (the bucket object keeps the
 * latest versions it read in memory: durable-objects/bucket/latest-cache.ts): overwritten,
 * re-tagged, deleted, given a new version or losing one, copied onto, completed by a
 * multipart upload — each read right after its write, and HEAD and GET alike.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { newBucket, s3Client, s3Error } from "../helpers/s3";

const s3 = s3Client();

async function read(bucket: string, key: string): Promise<string> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  expect(head.ContentLength).toBe(Buffer.byteLength(body));
  return body;
}

async function put(bucket: string, key: string, body: string, extra: { ContentType?: string } = {}) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));
}

describe("read after write", () => {
  it("an unversioned key read, then overwritten, re-tagged, copied onto and deleted: each read sees the last write", async () => {
    const bucket = await newBucket("raw-plain");
    await put(bucket, "k", "one");
    expect(await read(bucket, "k")).toBe("one");
    expect(await read(bucket, "k")).toBe("one");
    await put(bucket, "k", "second", { ContentType: "text/x-second" });
    expect(await read(bucket, "k")).toBe("second");
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).ContentType).toBe("text/x-second");

    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "k", Tagging: { TagSet: [{ Key: "a", Value: "1" }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "k" }))).TagSet).toEqual([{ Key: "a", Value: "1" }]);
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }))).TagCount).toBe(1);

    await put(bucket, "src", "copied in");
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "k", CopySource: `${bucket}/src` }));
    expect(await read(bucket, "k")).toBe("copied in");

    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })))).code).toBe("NoSuchKey");
    await put(bucket, "k", "back");
    expect(await read(bucket, "k")).toBe("back");
  });

  it("a versioned key read, then given a new version, a delete marker, and its versions removed: each read sees the latest left", async () => {
    const bucket = await newBucket("raw-versions");
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const first = await put(bucket, "k", "v1");
    expect(await read(bucket, "k")).toBe("v1");
    const second = await put(bucket, "k", "v2");
    expect(await read(bucket, "k")).toBe("v2");
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })))).code).toBe("NoSuchKey");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: marker.VersionId }));
    expect(await read(bucket, "k")).toBe("v2");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: second.VersionId }));
    expect(await read(bucket, "k")).toBe("v1");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k", VersionId: first.VersionId }));
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })))).code).toBe("NoSuchKey");
  });

  it("a key read, then completed by a multipart upload: the read sees the upload's bytes", async () => {
    const bucket = await newBucket("raw-multipart");
    await put(bucket, "k", "small");
    expect(await read(bucket, "k")).toBe("small");
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "k" }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "k", UploadId, PartNumber: 1, Body: "from the upload" }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "k", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await read(bucket, "k")).toBe("from the upload");
  });
});
