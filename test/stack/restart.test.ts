import { CreateBucketCommand, GetObjectCommand, ListBucketsCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { s3Client } from "../helpers/s3";
import { startStackProcess } from "../helpers/stack-process";

describe("persistence", () => {
  // Two stack starts on a busy 2-core machine: give it room.
  it("stack › buckets, objects and their metadata survive a restart of the whole stack", { timeout: 120_000 }, async () => {
    const first = await startStackProcess();
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    try {
      const s3 = s3Client(undefined, first.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: "survivor" }));
      await s3.send(new PutObjectCommand({ Bucket: "survivor", Key: "small.txt", Body: "still here", Metadata: { kept: "yes" }, ContentType: "text/plain" }));
      await s3.send(new PutObjectCommand({ Bucket: "survivor", Key: "big.bin", Body: big }));
    } finally {
      await first.stop();
    }

    const second = await startStackProcess({ dataDir: first.dataDir });
    try {
      const s3 = s3Client(undefined, second.endpoint);
      const buckets = await s3.send(new ListBucketsCommand({}));
      expect(buckets.Buckets?.map((b) => b.Name)).toContain("survivor");
      const small = await s3.send(new GetObjectCommand({ Bucket: "survivor", Key: "small.txt" }));
      expect(await small.Body!.transformToString()).toBe("still here");
      expect(small.Metadata).toEqual({ kept: "yes" });
      expect(small.ContentType).toBe("text/plain");
      const large = await s3.send(new GetObjectCommand({ Bucket: "survivor", Key: "big.bin" }));
      expect(Buffer.from(await large.Body!.transformToByteArray()).equals(big)).toBe(true);
    } finally {
      await second.stop();
    }
  });
});
