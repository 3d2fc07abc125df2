/**
 * Server-side encryption headers through the JS SDK: SSE-S3 answered for every object, a
 * write's own algorithm and KMS key echoed on writes and reads, the bucket's default
 * encryption applied to writes that name none, multipart uploads and copies, and the
 * refusals of bad values.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
const KEY_ARN = "arn:aws:kms:us-east-1:000000000000:key/1234abcd-12ab-34cd-56ef-1234567890ab";
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("encryption");
});

describe("server-side encryption", () => {
  it("SSE › every object is answered as SSE-S3 unless written otherwise; aws:kms, its key and the bucket key are echoed", async () => {
    const plain = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plain", Body: "x" }));
    expect(plain.ServerSideEncryption).toBe("AES256");
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "plain" }))).ServerSideEncryption).toBe("AES256");
    const kms = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "kms", Body: "x", ServerSideEncryption: "aws:kms", SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true }));
    expect([kms.ServerSideEncryption, kms.SSEKMSKeyId, kms.BucketKeyEnabled]).toEqual(["aws:kms", KEY_ARN, true]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kms" }));
    expect([got.ServerSideEncryption, got.SSEKMSKeyId, got.BucketKeyEnabled]).toEqual(["aws:kms", KEY_ARN, true]);
    await got.Body!.transformToString();
  });

  it("SSE › an unknown algorithm, or a KMS key without aws:kms, is InvalidArgument and stores nothing", async () => {
    const bad = await signer().fetch(objectPathUrl(bucket, "bad"), { method: "PUT", body: "x", headers: { "x-amz-server-side-encryption": "rot13" } });
    await expectErrorDocument(bad, 400, "InvalidArgument");
    const keyOnly = await signer().fetch(objectPathUrl(bucket, "bad"), { method: "PUT", body: "x", headers: { "x-amz-server-side-encryption-aws-kms-key-id": KEY_ARN } });
    await expectErrorDocument(keyOnly, 400, "InvalidArgument");
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "bad" })))).status).toBe(404);
  });

  it("SSE › the bucket's default encryption applies to writes that name none: PUT, copies and multipart uploads", async () => {
    const defaulted = await newBucket("encryption-default");
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: defaulted,
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: KEY_ARN } }] },
      }),
    );
    const put = await s3.send(new PutObjectCommand({ Bucket: defaulted, Key: "k", Body: "x" }));
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(["aws:kms", KEY_ARN]);
    const own = await s3.send(new PutObjectCommand({ Bucket: defaulted, Key: "own", Body: "x", ServerSideEncryption: "AES256" }));
    expect([own.ServerSideEncryption, own.SSEKMSKeyId]).toEqual(["AES256", undefined]);
    const copy = await s3.send(new CopyObjectCommand({ Bucket: defaulted, Key: "copy", CopySource: `${bucket}/plain` }));
    expect(copy.ServerSideEncryption).toBe("aws:kms");

    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: defaulted, Key: "parts" }));
    expect([created.ServerSideEncryption, created.SSEKMSKeyId]).toEqual(["aws:kms", KEY_ARN]);
    const part = await s3.send(new UploadPartCommand({ Bucket: defaulted, Key: "parts", UploadId: created.UploadId, PartNumber: 1, Body: "only part" }));
    expect(part.ServerSideEncryption).toBe("aws:kms");
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket: defaulted, Key: "parts", UploadId: created.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect([done.ServerSideEncryption, done.SSEKMSKeyId]).toEqual(["aws:kms", KEY_ARN]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: defaulted, Key: "parts" }))).SSEKMSKeyId).toBe(KEY_ARN);
  });
});
