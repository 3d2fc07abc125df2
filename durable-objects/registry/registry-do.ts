/**
 * The bucket registry: one Durable Object (named "registry") listing every bucket with its
 * owner, for ListBuckets. Each bucket's own Durable Object decides whether the bucket exists
 * and who owns it; the registry is the index over them, written after them.
 */
import { and, asc, count, eq, gt, gte, lt } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { BucketSummary } from "../../shared/records";
import { openDatabase } from "../../shared/durable-database";
import { prefixEnd } from "../key-range";
import migrations from "./drizzle/migrations.js";
import { buckets } from "./schema";
import { TracedDurableObject } from "../traced-object";

export interface BucketListQuery {
  ownerId: string;
  prefix?: string;
  /** only buckets in this region (ListBuckets' bucket-region) */
  region?: string;
  after?: string;
  limit: number;
}

export class BucketRegistryDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "metadata-service";

  private readonly db: DrizzleSqliteDODatabase;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
  }

  add(info: BucketSummary): void {
    this.db.insert(buckets).values(info).onConflictDoUpdate({ target: buckets.name, set: info }).run();
  }

  /**
   * Removes the entry of a deleted bucket — that bucket only: if the name was created again
   * (by anyone) between the delete and this call, the new bucket's entry stays.
   */
  remove(info: BucketSummary): void {
    const same = and(eq(buckets.name, info.name), eq(buckets.ownerId, info.ownerId), eq(buckets.createdAt, info.createdAt));
    this.db.delete(buckets).where(same).run();
  }

  /** The owner's buckets in name order, one page of at most `limit` (+1 to tell truncation). */
  list({ ownerId, prefix, region, after, limit }: BucketListQuery): BucketSummary[] {
    const conditions = [eq(buckets.ownerId, ownerId)];
    if (region) conditions.push(eq(buckets.region, region));
    if (prefix) {
      conditions.push(gte(buckets.name, prefix));
      const end = prefixEnd(prefix);
      if (end !== undefined) conditions.push(lt(buckets.name, end));
    }
    if (after) conditions.push(gt(buckets.name, after));
    return this.db
      .select()
      .from(buckets)
      .where(and(...conditions))
      .orderBy(asc(buckets.name))
      .limit(limit)
      .all();
  }

  /** Every owner's buckets in name order, at most `limit`, with how many there are in all. */
  everyBucket(limit: number): { total: number; buckets: BucketSummary[] } {
    const total = this.db.select({ n: count() }).from(buckets).get()?.n ?? 0;
    return { total, buckets: this.db.select().from(buckets).orderBy(asc(buckets.name)).limit(limit).all() };
  }
}
