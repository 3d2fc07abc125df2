/** What metadata-service reports of the buckets (`GET /api/v1/buckets`). */
export interface BucketUsage {
  /** buckets stored */
  total: number;
  /** each bucket's current objects and their bytes (at most MAX_BUCKET_REPORT, in name order) */
  buckets: { name: string; objects: number; bytes: number; pendingEvents: number }[];
  truncated: boolean;
}

export const MAX_BUCKET_REPORT = 1000;
