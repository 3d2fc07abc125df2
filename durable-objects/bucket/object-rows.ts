/**
 * The hot path of a bucket: reading and writing one object's row. These run on every GET,
 * HEAD and PUT, so they are plain prepared SQL (workerd caches statements by text) rather
 * than drizzle's query builder and row mapper, which profiling showed costing a tenth of
 * the Durable Object's time. The table itself is drizzle's (schema.ts and its migrations).
 */
import type { BlobRef, Checksum, ObjectRecord, TagSet } from "../../shared/records";

const COLUMNS =
  "key, size, etag, last_modified, blob, content_type, content_encoding, content_disposition, content_language, cache_control, expires, user_metadata, tags, checksum";

const SELECT = `SELECT ${COLUMNS}, data IS NOT NULL AS inline FROM objects WHERE key = ?`;
const SELECT_WITH_DATA = `SELECT ${COLUMNS}, data IS NOT NULL AS inline, data FROM objects WHERE key = ?`;
const SELECT_CURRENT = "SELECT etag, blob FROM objects WHERE key = ?";
const UPSERT = `INSERT INTO objects (${COLUMNS}, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified,
  blob = excluded.blob, content_type = excluded.content_type, content_encoding = excluded.content_encoding,
  content_disposition = excluded.content_disposition, content_language = excluded.content_language,
  cache_control = excluded.cache_control, expires = excluded.expires, user_metadata = excluded.user_metadata,
  tags = excluded.tags, checksum = excluded.checksum, data = excluded.data`;

type Row = Record<string, SqlStorageValue>;

/** The current version of a key, as a write condition and a replaced blob need it. */
export interface CurrentObject {
  etag: string;
  blob: BlobRef | null;
}

export class ObjectRows {
  constructor(private readonly sql: SqlStorage) {}

  get(key: string, withData: boolean): ObjectRecord | undefined {
    const row = this.sql.exec<Row>(withData ? SELECT_WITH_DATA : SELECT, key).toArray()[0];
    return row ? toRecord(row) : undefined;
  }

  current(key: string): CurrentObject | undefined {
    const row = this.sql.exec<Row>(SELECT_CURRENT, key).toArray()[0];
    return row ? { etag: row.etag as string, blob: parse<BlobRef>(row.blob) } : undefined;
  }

  upsert(r: ObjectRecord): void {
    this.sql.exec(
      UPSERT,
      r.key,
      r.size,
      r.etag,
      r.lastModified,
      json(r.blob),
      r.contentType ?? null,
      r.contentEncoding ?? null,
      r.contentDisposition ?? null,
      r.contentLanguage ?? null,
      r.cacheControl ?? null,
      r.expires ?? null,
      JSON.stringify(r.userMetadata),
      JSON.stringify(r.tags),
      json(r.checksum),
      r.data ?? null,
    );
  }
}

function json(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parse<T>(value: SqlStorageValue | undefined): T | null {
  return typeof value === "string" ? (JSON.parse(value) as T) : null;
}

function toRecord(row: Row): ObjectRecord {
  const record: ObjectRecord = {
    key: row.key as string,
    size: row.size as number,
    etag: row.etag as string,
    lastModified: row.last_modified as number,
    blob: parse<BlobRef>(row.blob),
    userMetadata: parse<Record<string, string>>(row.user_metadata) ?? {},
    tags: parse<TagSet>(row.tags) ?? [],
  };
  if (row.inline) record.inline = true;
  if (row.data instanceof ArrayBuffer) record.data = new Uint8Array(row.data);
  if (row.content_type !== null) record.contentType = row.content_type as string;
  if (row.content_encoding !== null) record.contentEncoding = row.content_encoding as string;
  if (row.content_disposition !== null) record.contentDisposition = row.content_disposition as string;
  if (row.content_language !== null) record.contentLanguage = row.content_language as string;
  if (row.cache_control !== null) record.cacheControl = row.cache_control as string;
  if (row.expires !== null) record.expires = row.expires as string;
  const checksum = parse<Checksum>(row.checksum);
  if (checksum) record.checksum = checksum;
  return record;
}
