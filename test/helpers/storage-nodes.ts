/** storage-service's node API and /health, as the storage tests drive them. */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import type { ClusterReport, NodeEntry } from "../../shared/storage-report";

export type { ClusterReport, NodeEntry };

export function storageNodes(storageUrl: string) {
  return {
    async report(): Promise<ClusterReport> {
      const response = await fetch(`${storageUrl}/api/v1/nodes`);
      expect(response.status).toBe(200);
      return (await response.json()) as ClusterReport;
    },
    async health(): Promise<ClusterReport & { status: string }> {
      const response = await fetch(`${storageUrl}/health`);
      expect(response.status).toBe(200);
      return (await response.json()) as ClusterReport & { status: string };
    },
    async mark(name: string, state: "down" | "up"): Promise<NodeEntry> {
      const response = await fetch(`${storageUrl}/api/v1/nodes/${name}/${state}`, { method: "POST" });
      expect(response.status).toBe(200);
      return (await response.json()) as NodeEntry;
    },
    /** The report once `done` holds for it (the backlog is carried out by an alarm). */
    async until(done: (report: ClusterReport) => boolean, timeoutMs = 30_000): Promise<ClusterReport> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const report = await this.report();
        if (done(report)) return report;
        if (Date.now() > deadline) throw new Error(`storage nodes did not settle: ${JSON.stringify(report)}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
}

/** Ready blobs over all nodes: R per stored blob once every replica is in place. */
export function totalBlobs(report: ClusterReport): number {
  return report.nodes.reduce((total, node) => total + node.blobs, 0);
}

/** Stores an object and returns its bytes. */
export async function putBytes(s3: S3Client, bucket: string, key: string, body: Uint8Array): Promise<Uint8Array> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return body;
}

export async function exists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  return s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    (error: { name?: string }) => {
      if (error.name === "NotFound") return false;
      throw error;
    },
  );
}

/** An object's bytes through GetObject. */
export async function bodyBytesFrom(s3: S3Client, bucket: string, key: string, range?: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: range }));
  return Buffer.from(await out.Body!.transformToByteArray());
}
