/**
 * ListMultipartUploads over a bucket's uploads in progress: by key (UTF-8 byte order), a
 * key's uploads by initiation time, which is also their upload ids' order (uploads.ts).
 * Paging follows S3: uploads of keys after `key-marker`, and — when `upload-id-marker` is
 * given too — the marker key's uploads after that id; without `key-marker` the id marker is
 * ignored. Keys under a common prefix roll up into it and count as one entry against
 * max-uploads, as ListObjects does; a marker inside a common prefix skips all of it.
 */
import { and, asc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { UploadRecord, UploadsPage, UploadsQuery } from "../../shared/uploads";
import { commonPrefixOf, compareKeys, prefixEnd } from "../key-range";
import { startOf } from "./listing";
import { uploads } from "./schema";

/** Rows read at a time when a delimiter may roll many uploads into one entry. */
const DELIMITED_BATCH = 64;

/** Where a scan resumes: at or after a key, or after one upload of a key. */
type Cursor = { key: string; inclusive: boolean } | { key: string; uploadId: string };

export function listUploads(db: DrizzleSqliteDODatabase, query: UploadsQuery): UploadsPage {
  const { prefix, delimiter, maxUploads } = query;
  const page: UploadsPage = { uploads: [], commonPrefixes: [], isTruncated: false };
  if (maxUploads === 0) return page;
  const end = prefix ? prefixEnd(prefix) : undefined;
  let from = startCursor(query);
  while (from) {
    const wanted = maxUploads - page.uploads.length - page.commonPrefixes.length + 1;
    const batch = delimiter ? Math.min(wanted, DELIMITED_BATCH) : wanted;
    const rows = scan(db, from, end, batch);
    const last = rows[rows.length - 1];
    from = rows.length === batch && last ? { key: last.key, uploadId: last.uploadId } : undefined;
    for (const row of rows) {
      if (page.uploads.length + page.commonPrefixes.length === maxUploads) {
        page.isTruncated = true;
        return page;
      }
      const common = commonPrefixOf(row.key, prefix, delimiter);
      if (common === undefined) {
        page.uploads.push(row);
        page.nextKeyMarker = row.key;
        page.nextUploadIdMarker = row.uploadId;
        continue;
      }
      page.commonPrefixes.push(common);
      page.nextKeyMarker = common;
      delete page.nextUploadIdMarker;
      const next = prefixEnd(common);
      from = next === undefined ? undefined : { key: next, inclusive: true };
      break;
    }
  }
  return page;
}

function startCursor(query: UploadsQuery): Cursor | undefined {
  const { prefix, delimiter, keyMarker, uploadIdMarker } = query;
  if (keyMarker && uploadIdMarker && compareKeys(keyMarker, prefix) >= 0 && commonPrefixOf(keyMarker, prefix, delimiter) === undefined) {
    return { key: keyMarker, uploadId: uploadIdMarker };
  }
  return startOf({ prefix, delimiter, after: keyMarker, maxKeys: query.maxUploads });
}

function scan(db: DrizzleSqliteDODatabase, from: Cursor, end: string | undefined, limit: number): UploadRecord[] {
  const conditions: Array<SQL | undefined> = [
    "uploadId" in from ? or(gt(uploads.key, from.key), and(eq(uploads.key, from.key), gt(uploads.uploadId, from.uploadId))) : from.inclusive ? gte(uploads.key, from.key) : gt(uploads.key, from.key),
  ];
  if (end !== undefined) conditions.push(lt(uploads.key, end));
  return db
    .select()
    .from(uploads)
    .where(and(...conditions))
    .orderBy(asc(uploads.key), asc(uploads.initiated), asc(uploads.uploadId))
    .limit(Math.max(limit, 1))
    .all();
}
