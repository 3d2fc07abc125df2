/**
 * ListObjects and ListObjectsV2 over a bucket's current objects: the latest version of each
 * key that is not a delete marker (the partial index `versions_current`; its condition is
 * written as literals so that SQLite can use it). Keys under a common prefix roll up into
 * it, and the scan then seeks past the whole prefix, so a page costs one index seek per
 * entry it returns. Contents and common prefixes count together against maxKeys; the page
 * is truncated only when one more entry exists, as in S3.
 */
import { and, asc, gt, gte, lt, sql, type SQL } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Checksum, ListPage, ListQuery, ObjectRecord, ObjectSummary, StorageClass } from "../../shared/records";
import { commonPrefixOf, compareKeys, prefixEnd } from "../key-range";
import { versions } from "./schema";

/** Rows read at a time when a delimiter may roll many keys into one entry. */
const DELIMITED_BATCH = 64;

const CURRENT = sql`${versions.isLatest} = 1 AND ${versions.deleteMarker} = 0`;

export interface Bound {
  key: string;
  inclusive: boolean;
}

export function listCurrent(db: DrizzleSqliteDODatabase, query: ListQuery): ListPage {
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
    const rows = scan(db, from, end, batch);
    from = rows.length === batch ? { key: rows[rows.length - 1]!.key, inclusive: false } : undefined;
    for (const row of rows) {
      if (page.contents.length + page.commonPrefixes.length === maxKeys) {
        page.isTruncated = true;
        return page;
      }
      const common = commonPrefixOf(row.key, prefix, delimiter);
      if (common === undefined) {
        page.contents.push(summaryOf(row));
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

/** A version's entry in a listing: its key, size, ETag, time, checksum algorithm and class. */
export function summaryOf(version: Pick<ObjectRecord, "key" | "size" | "etag" | "lastModified"> & { checksum?: Checksum | null; storageClass?: StorageClass | null }): ObjectSummary {
  return {
    key: version.key,
    size: version.size,
    etag: version.etag,
    lastModified: version.lastModified,
    checksumAlgorithm: version.checksum?.algorithm,
    storageClass: version.storageClass ?? undefined,
  };
}

function scan(db: DrizzleSqliteDODatabase, from: Bound, end: string | undefined, limit: number) {
  const conditions: SQL[] = [CURRENT, from.inclusive ? gte(versions.key, from.key) : gt(versions.key, from.key)];
  if (end !== undefined) conditions.push(lt(versions.key, end));
  return db
    .select({ key: versions.key, size: versions.size, etag: versions.etag, lastModified: versions.lastModified, checksum: versions.checksum, storageClass: versions.storageClass })
    .from(versions)
    .where(and(...conditions))
    .orderBy(asc(versions.key))
    .limit(Math.max(limit, 1))
    .all();
}

/**
 * Where a listing starts: at the prefix, or after the position (marker, start-after or a
 * continuation token). An entry is listed only if it sorts after the position, and a common
 * prefix sorts before every key under it: a position inside a common prefix (NextMarker
 * naming it, or a start-after pointing into it) skips the whole prefix, as S3 does.
 */
export function startOf({ prefix, delimiter, after }: ListQuery): Bound | undefined {
  if (compareKeys(after, prefix) < 0) return { key: prefix, inclusive: true };
  const common = commonPrefixOf(after, prefix, delimiter);
  if (common !== undefined) {
    const next = prefixEnd(common);
    return next === undefined ? undefined : { key: next, inclusive: true };
  }
  return { key: after, inclusive: false };
}
