/**
 * `GET /api/v1/buckets`: every bucket with its current objects and bytes (shared/bucket-usage.ts),
 * for the sidecar's business metrics and for anyone curious. The registry lists the buckets;
 * each bucket's Durable Object counts its own, all asked at once.
 */
import { Hono } from "hono";
import { MAX_BUCKET_REPORT, type BucketUsage } from "../../../shared/bucket-usage";

export const bucketUsageApi = new Hono<{ Bindings: MetadataEnv }>().get("/api/v1/buckets", async (c) => {
  const { total, buckets } = await c.env.REGISTRY.getByName("registry").everyBucket(MAX_BUCKET_REPORT);
  const counted = await Promise.all(buckets.map(async ({ name }) => ({ name, ...(await c.env.BUCKET.getByName(name).usage()) })));
  return c.json({ total, buckets: counted, truncated: total > buckets.length } satisfies BucketUsage);
});
