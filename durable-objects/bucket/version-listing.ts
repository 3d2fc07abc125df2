/**
 * ListObjectVersions: every version and delete marker, keys ascending and each key's newest
 * version first (the `versions_listing` index), with common prefixes rolled up as in a plain
 * listing. A page continues after key-marker — after all its versions, or, with a
 * version-id-marker, after that version — and every entry, common prefixes included, counts
 * against max-keys.
 */
import type { StorageClass, VersionListQuery, VersionPage } from "../../shared/records";
import { commonPrefixOf, compareKeys, prefixEnd } from "../key-range";

const COLUMNS = "key, seq, version_id, is_latest, delete_marker, size, etag, last_modified, checksum, storage_class";

type Row = {
  key: string;
  seq: number;
  version_id: string;
  is_latest: number;
  delete_marker: number;
  size: number;
  etag: string;
  last_modified: number;
  checksum: string | null;
  storage_class: StorageClass | null;
};

/** Where a page starts: at a key (inclusive or not), or inside one key's versions. */
type Position = { key: string; inclusive: boolean } | { key: string; beforeSeq: number };

export function listVersions(sql: SqlStorage, query: VersionListQuery): VersionPage {
  const { prefix, delimiter, maxKeys } = query;
  const page: VersionPage = { versions: [], commonPrefixes: [], isTruncated: false };
  if (maxKeys === 0) return page;
  const end = prefix ? prefixEnd(prefix) : undefined;
  let from = startOf(sql, query);
  while (from) {
    const rows = scan(sql, from, end, maxKeys + 1 - page.versions.length - page.commonPrefixes.length);
    if (rows.length === 0) break;
    from = undefined;
    for (const row of rows) {
      if (page.versions.length + page.commonPrefixes.length === maxKeys) {
        page.isTruncated = true;
        return page;
      }
      const common = commonPrefixOf(row.key, prefix, delimiter);
      if (common !== undefined) {
        page.commonPrefixes.push(common);
        page.nextKeyMarker = common;
        page.nextVersionIdMarker = undefined;
        const next = prefixEnd(common);
        from = next === undefined ? undefined : { key: next, inclusive: true };
        break;
      }
      page.versions.push({
        key: row.key,
        versionId: row.version_id,
        isLatest: row.is_latest === 1,
        deleteMarker: row.delete_marker === 1,
        size: row.size,
        etag: row.etag,
        lastModified: row.last_modified,
        storageClass: row.storage_class ?? undefined,
        checksumAlgorithm: row.checksum ? (JSON.parse(row.checksum) as { algorithm: VersionPage["versions"][number]["checksumAlgorithm"] }).algorithm : undefined,
      });
      page.nextKeyMarker = row.key;
      page.nextVersionIdMarker = row.version_id;
      from = { key: row.key, beforeSeq: row.seq };
    }
  }
  return page;
}

function startOf(sql: SqlStorage, { prefix, delimiter, keyMarker, versionIdMarker }: VersionListQuery): Position | undefined {
  if (!keyMarker || compareKeys(keyMarker, prefix) < 0) return { key: prefix, inclusive: true };
  const common = commonPrefixOf(keyMarker, prefix, delimiter);
  if (common !== undefined) {
    const next = prefixEnd(common);
    return next === undefined ? undefined : { key: next, inclusive: true };
  }
  if (versionIdMarker !== undefined) {
    const marker = sql.exec<{ seq: number }>("SELECT seq FROM versions WHERE key = ? AND version_id = ?", keyMarker, versionIdMarker).toArray()[0];
    if (marker) return { key: keyMarker, beforeSeq: marker.seq };
  }
  return { key: keyMarker, inclusive: false };
}

/** Up to `limit` rows from a position, in listing order; two index range scans at most. */
function scan(sql: SqlStorage, from: Position, end: string | undefined, limit: number): Row[] {
  const count = Math.max(limit, 1);
  const rows: Row[] = [];
  let after: { key: string; inclusive: boolean } = "beforeSeq" in from ? { key: from.key, inclusive: false } : from;
  if ("beforeSeq" in from) {
    const query = `SELECT ${COLUMNS} FROM versions WHERE key = ? AND seq < ? ORDER BY key ASC, seq DESC LIMIT ${count}`;
    rows.push(...sql.exec<Row>(query, from.key, from.beforeSeq).toArray());
    after = { key: from.key, inclusive: false };
  }
  if (rows.length >= count) return rows;
  const bound = end === undefined ? "" : " AND key < ?";
  const query = `SELECT ${COLUMNS} FROM versions WHERE key ${after.inclusive ? ">=" : ">"} ?${bound} ORDER BY key ASC, seq DESC LIMIT ${count - rows.length}`;
  rows.push(...(end === undefined ? sql.exec<Row>(query, after.key) : sql.exec<Row>(query, after.key, end)).toArray());
  return rows;
}
