/**
 * Storage nodes on a stack of their own (3 nodes, 2 replicas): the node API, one node down
 * and back. The steps run in order on one bucket; multi-MiB objects live on the nodes (chunked
 * writes), 600 kB ones too (one put each).
 */
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pattern } from "../helpers/object-bodies";
import { s3Client } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";
import { bodyBytesFrom, putBytes, storageNodes, totalBlobs } from "../helpers/storage-nodes";

const LARGE = 3 * 1024 * 1024 + 5; // four chunks: begin, write…, commit
const SINGLE = 600_000; // above the inline limit, below a chunk: one put
const bucket = "node-outage";

let stack: StackProcess;
let s3: S3Client;
let nodes: ReturnType<typeof storageNodes>;
/** what the bucket holds, by key */
const stored = new Map<string, Uint8Array>();

async function put(key: string, size: number, seed: number): Promise<void> {
  stored.set(key, await putBytes(s3, bucket, key, pattern(size, seed)));
}

async function expectEveryObjectReadable(): Promise<void> {
  for (const [key, bytes] of stored) {
    expect((await bodyBytesFrom(s3, bucket, key)).equals(bytes), key).toBe(true);
  }
}

beforeAll(async () => {
  stack = await startStackProcess();
  s3 = s3Client(undefined, stack.endpoint);
  nodes = storageNodes(stack.services["storage-service"]!);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (let i = 0; i < 6; i++) await put(`before-${i}`, i % 3 === 2 ? SINGLE : LARGE, i + 1);
});

afterAll(async () => {
  await stack?.stop();
});

describe("storage nodes", () => {
  it("storage nodes › GET /api/v1/nodes lists every node up with its usage, capacity and backlog", async () => {
    const report = await nodes.report();
    expect(report).toMatchObject({ replicas: 2, repair_backlog: 0 });
    expect(report.nodes.map((n) => n.name)).toEqual(["node-0", "node-1", "node-2"]);
    for (const node of report.nodes) {
      expect(node).toMatchObject({ state: "up", capacity_bytes: 100 * 1024 ** 3, backlog: 0 });
      expect(node.used_bytes).toBe(node.bytes);
    }
    expect(totalBlobs(report)).toBe(2 * stored.size);
    const one = await fetch(`${stack.services["storage-service"]}/api/v1/nodes/node-1`);
    expect(await one.json()).toEqual(report.nodes[1]);
  });

  it("storage nodes › an unknown node answers 404 NoSuchNode", async () => {
    for (const [method, path] of [
      ["GET", "node-3"],
      ["POST", "node-3/down"],
      ["POST", "primary/up"],
    ] as const) {
      const response = await fetch(`${stack.services["storage-service"]}/api/v1/nodes/${path}`, { method });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: "NoSuchNode" });
    }
  });

  it("storage nodes › POST /api/v1/nodes/{name}/down marks it down, and /health reports it", async () => {
    expect(await nodes.mark("node-1", "down")).toMatchObject({ name: "node-1", state: "down" });
    const health = await nodes.health();
    expect(health.status).toBe("degraded");
    expect(health.nodes.map((n) => n.state)).toEqual(["up", "down", "up"]);
  });

  it("storage nodes › with one node down every object is still readable, whole and by range", async () => {
    await expectEveryObjectReadable();
    const bytes = stored.get("before-0")!;
    const range = await bodyBytesFrom(s3, bucket, "before-0", "bytes=1048570-2097200");
    expect(range.equals(bytes.subarray(1048570, 2097201))).toBe(true);
  });

  it("storage nodes › with one node down new writes and copies succeed, and the missed copies wait for it", async () => {
    for (let i = 0; i < 6; i++) await put(`during-${i}`, i % 3 === 2 ? SINGLE : LARGE, 100 + i);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copied", CopySource: `${bucket}/before-1` }));
    stored.set("copied", stored.get("before-1")!);
    await expectEveryObjectReadable();
    const report = await nodes.report();
    // Each blob lands on node-1 two times in three: of seven, some missed it.
    expect(report.nodes[1]!.backlog).toBeGreaterThan(0);
    expect(report.repair_backlog).toBe(report.nodes[1]!.backlog);
  });

  it("storage nodes › deletes and overwrites during the outage queue their releases for the down node", async () => {
    const before = (await nodes.report()).nodes[1]!.backlog;
    for (const key of ["before-0", "before-2", "before-3", "before-4", "during-0", "during-1"]) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      stored.delete(key);
    }
    await put("before-5", LARGE, 200); // replaces the old bytes, releasing them
    // The gateway releases after answering; seven blobs, two in three of them on node-1.
    await nodes.until((r) => r.nodes[1]!.backlog > before);
    await expectEveryObjectReadable();
  });

  it("storage nodes › a node marked up gets its missing copies and missed releases", async () => {
    expect(await nodes.mark("node-1", "up")).toMatchObject({ state: "up" });
    const report = await nodes.until((r) => r.repair_backlog === 0);
    expect(report.nodes.map((n) => n.state)).toEqual(["up", "up", "up"]);
    // Two copies of every blob in use, none of a released one.
    expect(totalBlobs(report)).toBe(2 * stored.size);
    expect((await nodes.health()).status).toBe("ok");
  });

  it("storage nodes › a repair whose only source is down as well waits for it", async () => {
    await nodes.mark("node-1", "down");
    for (let i = 0; i < 4; i++) await put(`second-${i}`, LARGE, 300 + i);
    await nodes.mark("node-0", "down");
    await nodes.mark("node-1", "up"); // copies held only by node-0 cannot be made yet
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await nodes.mark("node-0", "up");
    const report = await nodes.until((r) => r.repair_backlog === 0);
    expect(totalBlobs(report)).toBe(2 * stored.size);
  });

  it("storage nodes › after the repair any one node can be down and every object still reads", async () => {
    for (const name of ["node-0", "node-2", "node-1"]) {
      await nodes.mark(name, "down");
      try {
        await expectEveryObjectReadable();
      } finally {
        await nodes.mark(name, "up");
      }
    }
  });
});
