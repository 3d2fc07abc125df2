/**
 * Storage node capacity on a stack of its own: 3 nodes of 4 MiB, 2 replicas. One 3 MiB object
 * fills a node (another chunk no longer fits), so the steps below fill the cluster in order.
 */
import { CopyObjectCommand, CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pattern } from "../helpers/object-bodies";
import { s3Client } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { bodyBytesFrom, exists, putBytes, storageNodes, totalBlobs, type ClusterReport } from "../helpers/storage-nodes";

const CAPACITY = 4 * 1024 * 1024;
const LARGE = 3 * 1024 * 1024 + 5;
const SINGLE = 600_000;
const bucket = "capacity";

let stack: StackProcess;
let s3: S3Client;
let nodes: ReturnType<typeof storageNodes>;

/** The S3 error of a rejected call, with its message. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; status?: number; message: string }> {
  const error = (await promise.then(
    () => expect.unreachable("the request should have failed"),
    (e: unknown) => e,
  )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
  return { code: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

const usage = (report: ClusterReport) => report.nodes.map((n) => n.used_bytes);

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_STORAGE_NODE_CAPACITY_BYTES: String(CAPACITY) } });
  s3 = s3Client(undefined, stack.endpoint);
  nodes = storageNodes(stack.services["storage-service"]!);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
});

afterAll(async () => {
  await stack?.stop();
});

describe("storage capacity", () => {
  it("storage capacity › /api/v1/nodes reports the configured capacity", async () => {
    const report = await nodes.report();
    expect(report.nodes.map((n) => n.capacity_bytes)).toEqual([CAPACITY, CAPACITY, CAPACITY]);
  });

  it("storage capacity › an object larger than a whole node is EntityTooLarge, and nothing of it stays", async () => {
    const error = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "huge", Body: pattern(CAPACITY + 1) })));
    expect(error).toMatchObject({ code: "EntityTooLarge", status: 400 });
    expect(error.message).toContain(`${CAPACITY} bytes`);
    expect(await exists(s3, bucket, "huge")).toBe(false);
    await nodes.until((r) => usage(r).every((bytes) => bytes === 0));
  });

  it("storage capacity › a node that cannot take a blob is skipped for the next node in hash order", async () => {
    const first = await putBytes(s3, bucket, "first", pattern(LARGE, 1));
    // Two nodes are full now: the second object's only room is on the third.
    const second = await putBytes(s3, bucket, "second", pattern(LARGE, 2));
    const report = await nodes.report();
    expect(report.nodes.map((n) => n.blobs)).toEqual([1, 1, 1]);
    expect(usage(report)).toEqual([LARGE, LARGE, LARGE]);
    expect((await bodyBytesFrom(s3, bucket, "first")).equals(first)).toBe(true);
    expect((await bodyBytesFrom(s3, bucket, "second")).equals(second)).toBe(true);
  });

  it("storage capacity › a write no node can hold is ServiceUnavailable naming the shortage, and stores nothing", async () => {
    const before = usage(await nodes.report());
    const error = await rejection(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "third", Body: pattern(LARGE, 3) })));
    expect(error).toMatchObject({ code: "ServiceUnavailable", status: 503 });
    expect(error.message).toMatch(/^Insufficient storage: no storage node has room/);
    expect(await exists(s3, bucket, "third")).toBe(false);
    const after = await nodes.until((r) => usage(r).every((bytes, i) => bytes === before[i]));
    expect(totalBlobs(after)).toBe(3);
  });

  it("storage capacity › a copy no node can hold is ServiceUnavailable too", async () => {
    const error = await rejection(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy", CopySource: `${bucket}/first` })));
    expect(error).toMatchObject({ code: "ServiceUnavailable", status: 503 });
    expect(await exists(s3, bucket, "copy")).toBe(false);
    await nodes.until((r) => usage(r).every((bytes) => bytes === LARGE));
  });

  it("storage capacity › a smaller object still fits in the room a chunk does not", async () => {
    const small = await putBytes(s3, bucket, "small", pattern(SINGLE, 4));
    expect((await bodyBytesFrom(s3, bucket, "small")).equals(small)).toBe(true);
    expect(totalBlobs(await nodes.report())).toBe(5);
  });
});
