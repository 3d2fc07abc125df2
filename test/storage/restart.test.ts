/**
 * Storage nodes across a restart of the whole stack (same data directory): a node's down
 * state, the backlog waiting for it and every blob's placement are kept.
 */
import { CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { pattern } from "../helpers/object-bodies";
import { s3Client } from "../helpers/s3";
import { startStackProcess } from "../helpers/stack-process";
import { bodyBytesFrom, putBytes, storageNodes, totalBlobs } from "../helpers/storage-nodes";

const LARGE = 3 * 1024 * 1024 + 5;
const bucket = "node-restart";

describe("storage nodes across a restart", () => {
  // Two stack starts on a busy 2-core machine: give it room.
  it("storage nodes › a down node, its backlog and the placement of every blob survive a restart", { timeout: 120_000 }, async () => {
    const stored = new Map<string, Uint8Array>();
    const first = await startStackProcess();
    let before: Awaited<ReturnType<ReturnType<typeof storageNodes>["until"]>>;
    try {
      const s3 = s3Client(undefined, first.endpoint);
      const nodes = storageNodes(first.services["storage-service"]!);
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (let i = 0; i < 4; i++) stored.set(`up-${i}`, await putBytes(s3, bucket, `up-${i}`, pattern(LARGE, i + 1)));
      await nodes.mark("node-2", "down");
      for (let i = 0; i < 4; i++) stored.set(`down-${i}`, await putBytes(s3, bucket, `down-${i}`, pattern(LARGE, i + 10)));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "up-0" }));
      stored.delete("up-0");
      before = await nodes.until((r) => r.nodes[2]!.backlog > 0);
    } finally {
      await first.stop();
    }

    const second = await startStackProcess({ dataDir: first.dataDir });
    try {
      const s3 = s3Client(undefined, second.endpoint);
      const nodes = storageNodes(second.services["storage-service"]!);
      const after = await nodes.report();
      expect(after.nodes.map((n) => n.state)).toEqual(["up", "up", "down"]);
      expect(after.repair_backlog).toBe(before.repair_backlog);
      expect(after.nodes.map((n) => n.blobs)).toEqual(before.nodes.map((n) => n.blobs));
      for (const [key, bytes] of stored) expect((await bodyBytesFrom(s3, bucket, key)).equals(bytes), key).toBe(true);

      await nodes.mark("node-2", "up");
      expect(totalBlobs(await nodes.until((r) => r.repair_backlog === 0))).toBe(2 * stored.size);
      // Blobs are where their refs say, repaired copies included: any one node may go.
      await nodes.mark("node-0", "down");
      for (const [key, bytes] of stored) expect((await bodyBytesFrom(s3, bucket, key)).equals(bytes), key).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
