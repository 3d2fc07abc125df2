/**
 * Multipart uploads leave no bytes behind: storage-service's /health counts each node's
 * blobs that are ready to read, and a released blob leaves that count at once (its rows go
 * after a grace period). Every byte is counted once per replica. On a stack of its own, so that no other test's objects move the
 * count. Every upload here ends — aborted, completed and deleted, refused, or with its
 * bucket — and the count returns to where it was.
 */
import { AbortMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, PutObjectCommand, UploadPartCopyCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterReport } from "../../shared/storage-report";
import { TEST_CREDENTIALS } from "../helpers/credentials";
import { complete, createUpload, MIB, MIN_PART, uploadParts } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, signer } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  s3 = s3Client(undefined, stack.endpoint);
  bucket = await newBucket("orphans", s3);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

async function storageHealth(): Promise<ClusterReport> {
  return (await (await fetch(`${stack.services["storage-service"]}/health`)).json()) as ClusterReport;
}

/** Bytes of every ready blob on every storage node. */
async function readyBytes(): Promise<number> {
  const health = await storageHealth();
  return health.nodes.reduce((sum, node) => sum + node.bytes, 0);
}

/** What `bytes` of blobs occupy on the nodes: one copy on each of R replicas. */
async function stored(bytes: number): Promise<number> {
  const { replicas } = await storageHealth();
  return bytes * replicas;
}

/** Waits for releases sent after the answer (the gateway's waitUntil) to land. */
async function expectReadyBytes(expected: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let bytes = await readyBytes();
  while (bytes !== expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    bytes = await readyBytes();
  }
  expect(bytes).toBe(expected);
}

const options = () => ({ s3 });

describe("multipart uploads leave no orphaned bytes", () => {
  it("AbortMultipartUpload › releases every part, replaced and copied ones included", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "source", Body: pattern(2 * MIB, 1) }));
    const before = await readyBytes();
    const uploadId = await createUpload(bucket, "aborted", {}, s3);
    await uploadParts(bucket, "aborted", uploadId, [pattern(3 * MIB + 5, 2), pattern(MIB, 3), pattern(1000, 4)], options());
    await uploadParts(bucket, "aborted", uploadId, [pattern(2 * MIB, 5)], { ...options(), numbers: [2] });
    await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId, PartNumber: 4, CopySource: `${bucket}/source`, CopySourceRange: "bytes=0-1048599" }));
    await expectReadyBytes(before + (await stored(3 * MIB + 5 + 2 * MIB + 1000 + 1048600)));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId }));
    await expectReadyBytes(before);
  });

  it("CompleteMultipartUpload › keeps exactly the listed parts' bytes; deleting the object releases them", async () => {
    const before = await readyBytes();
    const uploadId = await createUpload(bucket, "completed", {}, s3);
    const parts = await uploadParts(bucket, "completed", uploadId, [pattern(MIN_PART, 6), pattern(MIN_PART, 7), pattern(4321, 8), pattern(MIB, 9)], options());
    const [again] = await uploadParts(bucket, "completed", uploadId, [pattern(MIN_PART + 1, 10)], { ...options(), numbers: [2] });
    await complete(bucket, "completed", uploadId, [parts[0]!, again!, parts[2]!], s3);
    await expectReadyBytes(before + (await stored(MIN_PART + MIN_PART + 1 + 4321)));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "completed" }));
    await expectReadyBytes(before);
  });

  it("UploadPart › a refused part (BadDigest) keeps no bytes", async () => {
    const before = await readyBytes();
    const uploadId = await createUpload(bucket, "refused", {}, s3);
    const url = `${stack.endpoint}/${bucket}/refused?partNumber=1&uploadId=${encodeURIComponent(uploadId)}`;
    const response = await signer().fetch(url, { method: "PUT", body: pattern(2 * MIB, 11), headers: { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==" } });
    expect(response.status).toBe(400);
    await expectReadyBytes(before);
    await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "refused", UploadId: uploadId }));
  });

  it("DeleteBucket › a bucket with uploads in progress goes, and their parts' bytes with it", async () => {
    const doomed = await newBucket("orphans-doomed", s3);
    const before = await readyBytes();
    const uploadId = await createUpload(doomed, "pending", {}, s3);
    await uploadParts(doomed, "pending", uploadId, [pattern(MIB + 1, 12), pattern(10, 13)], options());
    await expectReadyBytes(before + (await stored(MIB + 11)));
    await s3.send(new DeleteBucketCommand({ Bucket: doomed }));
    await expectReadyBytes(before);
  });
});
