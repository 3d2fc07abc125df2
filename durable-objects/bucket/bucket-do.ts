/**
 * One Durable Object per bucket (named by the bucket): the bucket's owner and region and the
 * metadata of every object in it. Every method checks the caller against the owner first, so
 * an object request costs one call here. Small objects keep their bytes in their row, so a
 * GET or PUT of one is this one call. Writes are single synchronous transactions; the blobs
 * a write replaces are handed back for storage-service to release.
 */
import { DurableObject } from "cloudflare:workers";
import { and, asc, eq, gt, gte, lt, type SQL } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Failure } from "../../shared/s3-errors";
import type { BlobRef, BucketInfo, Caller, ListPage, ListQuery, ObjectRecord, TagSet, WriteCondition } from "../../shared/records";
import { openDatabase } from "../database";
import migrations from "./drizzle/migrations.js";
import { commonPrefixOf, compareKeys, prefixEnd } from "../key-range";
import { ObjectRows, type CurrentObject } from "./object-rows";
import { bucket, objects } from "./schema";

/** Rows read at a time when a delimiter may roll many keys into one entry. */
const DELIMITED_BATCH = 64;

export class BucketDO extends DurableObject<DurableObjectsEnv> {
  private readonly db: DrizzleSqliteDODatabase;
  private info: BucketInfo | undefined;
  private readonly rows: ObjectRows;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations, () => {
      this.info = this.db.select().from(bucket).get();
    });
    this.rows = new ObjectRows(ctx.storage.sql);
  }

  /** Creates the bucket; creating one's own bucket again succeeds, as in us-east-1. */
  create(name: string, caller: Caller, region: string): { created: boolean; info: BucketInfo } | Failure {
    if (this.info) {
      if (this.info.ownerId !== caller.ownerId) return { error: "BucketAlreadyExists" };
      return { created: false, info: this.info };
    }
    const info: BucketInfo = { name, ownerId: caller.ownerId, region, createdAt: Date.now() };
    this.db.insert(bucket).values(info).run();
    this.info = info;
    return { created: true, info };
  }

  describe(caller: Caller): BucketInfo | Failure {
    return this.guard(caller) ?? this.info!;
  }

  /** Deletes the bucket if it holds no object; answers the bucket it deleted. */
  drop(caller: Caller): { dropped: BucketInfo } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const anyObject = this.db.select({ key: objects.key }).from(objects).limit(1).get();
    if (anyObject) return { error: "BucketNotEmpty" };
    const dropped = this.info!;
    this.db.delete(bucket).run();
    this.info = undefined;
    return { dropped };
  }

  /** An object's metadata, and its bytes too when they are inline and `withData` asks. */
  getObject(caller: Caller, key: string, withData = false): ObjectRecord | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    return this.rows.get(key, withData) ?? { error: "NoSuchKey" };
  }

  /**
   * Stores `record` under its key if `condition` holds at this instant. Returns the blob the
   * previous version used, which the caller releases.
   */
  putObject(caller: Caller, record: ObjectRecord, condition: WriteCondition = {}): { replaced: BlobRef | null } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    // No explicit transaction: the check and the single write run in one synchronous turn,
    // which nothing else can interleave, and workerd commits a turn's writes atomically.
    const current = this.rows.current(record.key);
    const failed = checkCondition(current, condition);
    if (failed) return failed;
    this.rows.upsert(record);
    const replaced = current?.blob && current.blob.id !== record.blob?.id ? current.blob : null;
    return { replaced };
  }

  deleteObject(caller: Caller, key: string): { removed: BlobRef | null } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const row = this.db.delete(objects).where(eq(objects.key, key)).returning({ blob: objects.blob }).get();
    return { removed: row?.blob ?? null };
  }

  /** DeleteObjects: every key is deleted (a missing key counts as deleted, as in S3). */
  deleteObjects(caller: Caller, keys: string[]): { removed: BlobRef[] } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    return this.ctx.storage.transactionSync(() => {
      const removed: BlobRef[] = [];
      for (const key of keys) {
        const row = this.db.delete(objects).where(eq(objects.key, key)).returning({ blob: objects.blob }).get();
        if (row?.blob) removed.push(row.blob);
      }
      return { removed };
    });
  }

  setTags(caller: Caller, key: string, tags: TagSet): { ok: true } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const row = this.db.update(objects).set({ tags }).where(eq(objects.key, key)).returning({ key: objects.key }).get();
    return row ? { ok: true } : { error: "NoSuchKey" };
  }

  /**
   * One page of a listing. Keys under a common prefix roll up into it, and the scan then
   * seeks past the whole prefix, so a page costs one index seek per entry it returns.
   * Contents and common prefixes count together against maxKeys; the page is truncated only
   * when one more entry exists, as in S3.
   */
  list(caller: Caller, query: ListQuery): ListPage | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const { prefix, delimiter, maxKeys } = query;
    const page: ListPage = { contents: [], commonPrefixes: [], isTruncated: false };
    if (maxKeys === 0) return page;
    const end = prefix ? prefixEnd(prefix) : undefined;
    let from = startOf(query);
    while (from) {
      // one row more than the page still holds tells whether it is truncated; under a
      // delimiter a batch ends at its first rolled-up key, so small batches waste little
      const wanted = maxKeys - page.contents.length - page.commonPrefixes.length + 1;
      const batch = delimiter ? Math.min(wanted, DELIMITED_BATCH) : wanted;
      const rows = this.scan(from, end, batch);
      from = rows.length === batch ? { key: rows[rows.length - 1]!.key, inclusive: false } : undefined;
      for (const row of rows) {
        if (page.contents.length + page.commonPrefixes.length === maxKeys) {
          page.isTruncated = true;
          return page;
        }
        const common = commonPrefixOf(row.key, prefix, delimiter);
        if (common === undefined) {
          page.contents.push({ key: row.key, size: row.size, etag: row.etag, lastModified: row.lastModified, checksumAlgorithm: row.checksum?.algorithm });
          page.last = row.key;
          continue;
        }
        page.commonPrefixes.push(common);
        page.last = common;
        const next = prefixEnd(common);
        from = next === undefined ? undefined : { key: next, inclusive: true };
        break;
      }
    }
    return page;
  }

  private scan(from: Bound, end: string | undefined, limit: number) {
    const conditions: SQL[] = [from.inclusive ? gte(objects.key, from.key) : gt(objects.key, from.key)];
    if (end !== undefined) conditions.push(lt(objects.key, end));
    return this.db
      .select({ key: objects.key, size: objects.size, etag: objects.etag, lastModified: objects.lastModified, checksum: objects.checksum })
      .from(objects)
      .where(and(...conditions))
      .orderBy(asc(objects.key))
      .limit(Math.max(limit, 1))
      .all();
  }

  private guard(caller: Caller): Failure | undefined {
    if (!this.info) return { error: "NoSuchBucket" };
    if (this.info.ownerId !== caller.ownerId) return { error: "AccessDenied" };
    return undefined;
  }
}

interface Bound {
  key: string;
  inclusive: boolean;
}

/**
 * Where a listing starts: at the prefix, or after the position (marker, start-after or a
 * continuation token). An entry is listed only if it sorts after the position, and a common
 * prefix sorts before every key under it: a position inside a common prefix (NextMarker
 * naming it, or a start-after pointing into it) skips the whole prefix, as S3 does.
 */
function startOf({ prefix, delimiter, after }: ListQuery): Bound | undefined {
  if (compareKeys(after, prefix) < 0) return { key: prefix, inclusive: true };
  const common = commonPrefixOf(after, prefix, delimiter);
  if (common !== undefined) {
    const next = prefixEnd(common);
    return next === undefined ? undefined : { key: next, inclusive: true };
  }
  return { key: after, inclusive: false };
}

function checkCondition(current: CurrentObject | undefined, condition: WriteCondition): Failure | undefined {
  if (condition.ifNoneMatch === "*" && current) return { error: "PreconditionFailed" };
  if (condition.ifMatch) {
    if (!current) return { error: "NoSuchKey" };
    if (!condition.ifMatch.includes("*") && !condition.ifMatch.includes(current.etag)) return { error: "PreconditionFailed" };
  }
  return undefined;
}
