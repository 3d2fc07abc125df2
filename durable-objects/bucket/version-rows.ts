/**
 * Object versions, one row each, and what S3's versioning states do to them:
 *
 *   Unversioned — a key has one version, "null"; a write replaces it, a delete removes it.
 *   Enabled     — a write adds a version with a new id; a delete adds a delete marker.
 *   Suspended   — a write or delete replaces the key's "null" version (a delete with a
 *                 "null" delete marker), keeping the other versions.
 *
 * These run on every GET, HEAD and PUT, so they are plain prepared SQL (workerd caches
 * statements by text) rather than drizzle's builder and row mapper, which profiling showed
 * costing a tenth of the Durable Object's time. The table is drizzle's (schema.ts).
 * Callers run each method within one synchronous turn: workerd commits it atomically.
 */
import type { Acl } from "../../shared/access/acl";
import { LatestCache } from "./latest-cache";
import {
  NULL_VERSION,
  type BlobRef,
  type Checksum,
  type NewObject,
  type ObjectLock,
  type ObjectRecord,
  type RestoreState,
  type ServerSideEncryption,
  type StorageClass,
  type TagSet,
  type Versioning,
} from "../../shared/records";

const COLUMNS =
  "key, version_id, is_latest, delete_marker, size, etag, last_modified, blobs, content_type, content_encoding, content_disposition, content_language, cache_control, expires, user_metadata, tags, checksum, parts_count, storage_class, restore, object_lock, encryption, acl";

const SELECT_LATEST = `SELECT ${COLUMNS}, data IS NOT NULL AS inline FROM versions WHERE key = ? AND is_latest = 1`;
const SELECT_LATEST_DATA = `SELECT ${COLUMNS}, data IS NOT NULL AS inline, data FROM versions WHERE key = ? AND is_latest = 1`;
const SELECT_VERSION = `SELECT ${COLUMNS}, data IS NOT NULL AS inline FROM versions WHERE key = ? AND version_id = ?`;
const SELECT_VERSION_DATA = `SELECT ${COLUMNS}, data IS NOT NULL AS inline, data FROM versions WHERE key = ? AND version_id = ?`;
const INSERT = `INSERT INTO versions (seq, ${COLUMNS}, data) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const UNSET_LATEST = "UPDATE versions SET is_latest = 0 WHERE key = ? AND is_latest = 1";
const DELETE_VERSION = "DELETE FROM versions WHERE key = ? AND version_id = ? RETURNING blobs, delete_marker, is_latest";
const CURRENT_USAGE = "SELECT count(*) AS objects, coalesce(sum(size), 0) AS bytes FROM versions WHERE is_latest = 1 AND delete_marker = 0";
const PROMOTE_NEWEST = "UPDATE versions SET is_latest = 1 WHERE key = ? AND seq = (SELECT max(seq) FROM versions WHERE key = ?)";

type Row = Record<string, SqlStorageValue>;

/** What a version-changing write did. */
export interface VersionChange {
  versionId: string;
  /** blobs of the version(s) it removed */
  released: BlobRef[];
  /** whether the version written or removed is a delete marker */
  deleteMarker: boolean;
  /** false when a delete found nothing to remove */
  changed: boolean;
}

export class VersionRows {
  private seq: number;
  private readonly cache = new LatestCache();

  constructor(private readonly sql: SqlStorage) {
    this.seq = Number(sql.exec<{ seq: number | null }>("SELECT max(seq) AS seq FROM versions").one().seq ?? 0);
  }

  /** Whether the bucket holds no version, not even a delete marker. */
  isEmpty(): boolean {
    return this.sql.exec("SELECT 1 FROM versions LIMIT 1").toArray().length === 0;
  }

  /** Current objects and their bytes (delete markers and older versions not counted). */
  currentUsage(): { objects: number; bytes: number } {
    const row = this.sql.exec<{ objects: number; bytes: number }>(CURRENT_USAGE).one();
    return { objects: Number(row.objects), bytes: Number(row.bytes) };
  }

  /** The latest version of a key (which may be a delete marker). */
  latest(key: string, withData: boolean): (ObjectRecord & { deleteMarker: boolean }) | undefined {
    const cached = this.cache.get(key);
    if (cached) return withData ? cached : withoutData(cached);
    const row = this.sql.exec<Row>(withData ? SELECT_LATEST_DATA : SELECT_LATEST, key).toArray()[0];
    return row ? toRecord(row) : undefined;
  }

  /** latest(), for a read outside any write: what it reads with the bytes is kept for the next (latest-cache.ts). */
  readLatest(key: string, withData: boolean): (ObjectRecord & { deleteMarker: boolean }) | undefined {
    const found = this.latest(key, withData);
    if (found && withData && !this.cache.has(key)) this.cache.set(key, found);
    return found;
  }

  version(key: string, versionId: string, withData: boolean): (ObjectRecord & { deleteMarker: boolean }) | undefined {
    const row = this.sql.exec<Row>(withData ? SELECT_VERSION_DATA : SELECT_VERSION, key, versionId).toArray()[0];
    return row ? toRecord(row) : undefined;
  }

  /** Writes a new version of `object.key` as the bucket's versioning state says. */
  write(object: NewObject, versioning: Versioning): VersionChange {
    this.cache.drop(object.key);
    const versionId = versioning === "Enabled" ? newVersionId() : NULL_VERSION;
    // the new version becomes the latest: nothing to promote when the null one goes
    const released = versioning === "Enabled" ? [] : (this.remove(object.key, NULL_VERSION, false)?.blobs ?? []);
    // an unversioned key had only the null version, just removed
    if (versioning !== "Unversioned") this.sql.exec(UNSET_LATEST, object.key);
    this.insert(object, versionId, false);
    return { versionId, released, deleteMarker: false, changed: true };
  }

  /** DeleteObject without a version id. */
  deleteLatest(key: string, lastModified: number, versioning: Versioning): VersionChange {
    this.cache.drop(key);
    if (versioning === "Unversioned") {
      const removed = this.remove(key, NULL_VERSION, false);
      return { versionId: NULL_VERSION, released: removed?.blobs ?? [], deleteMarker: false, changed: removed !== undefined };
    }
    const versionId = versioning === "Enabled" ? newVersionId() : NULL_VERSION;
    const released = versioning === "Enabled" ? [] : (this.remove(key, NULL_VERSION, false)?.blobs ?? []);
    this.sql.exec(UNSET_LATEST, key);
    this.insert(deleteMarker(key, lastModified), versionId, true);
    return { versionId, released, deleteMarker: true, changed: true };
  }

  /** DeleteObject of one version: gone for good; the next newest becomes the latest. */
  deleteVersion(key: string, versionId: string): VersionChange {
    this.cache.drop(key);
    const removed = this.remove(key, versionId, true);
    return { versionId, released: removed?.blobs ?? [], deleteMarker: removed?.deleteMarker ?? false, changed: removed !== undefined };
  }

  /** Replaces the tags of a version (the latest when `versionId` is absent). */
  setTags(key: string, versionId: string | undefined, tags: TagSet): boolean {
    this.cache.drop(key);
    const json = JSON.stringify(tags);
    const cursor =
      versionId === undefined
        ? this.sql.exec("UPDATE versions SET tags = ? WHERE key = ? AND is_latest = 1 AND delete_marker = 0 RETURNING key", json, key)
        : this.sql.exec("UPDATE versions SET tags = ? WHERE key = ? AND version_id = ? AND delete_marker = 0 RETURNING key", json, key, versionId);
    return cursor.toArray().length > 0;
  }

  /** A lifecycle transition's new storage class (lifecycle.ts). */
  setStorageClass(key: string, versionId: string, storageClass: StorageClass): void {
    this.cache.drop(key);
    this.sql.exec("UPDATE versions SET storage_class = ? WHERE key = ? AND version_id = ?", storageClass, key, versionId);
  }

  /** Replaces a version's Object Lock (object-locks.ts); none removes it. */
  setLock(key: string, versionId: string, lock: ObjectLock | undefined): void {
    this.cache.drop(key);
    this.sql.exec("UPDATE versions SET object_lock = ? WHERE key = ? AND version_id = ?", lock ? JSON.stringify(lock) : null, key, versionId);
  }

  /** Replaces a version's ACL; none: the bucket owner's private default. */
  setAcl(key: string, versionId: string, acl: Acl | undefined): void {
    this.cache.drop(key);
    this.sql.exec("UPDATE versions SET acl = ? WHERE key = ? AND version_id = ?", acl ? JSON.stringify(acl) : null, key, versionId);
  }

  /** Records a version's restore (restores.ts); null forgets it. */
  setRestore(key: string, versionId: string, restore: RestoreState | null): void {
    this.cache.drop(key);
    this.sql.exec("UPDATE versions SET restore = ? WHERE key = ? AND version_id = ?", restore ? JSON.stringify(restore) : null, key, versionId);
  }

  /** The versions with a restore (an index holds just those): their course is announced (restore-course.ts). */
  restoring(): Array<{ key: string; versionId: string; restore: RestoreState }> {
    return this.sql
      .exec<{ key: string; version_id: string; restore: string }>("SELECT key, version_id, restore FROM versions WHERE restore IS NOT NULL")
      .toArray()
      .map((row) => ({ key: row.key, versionId: row.version_id, restore: JSON.parse(row.restore) as RestoreState }));
  }

  /** Deletes one version; with `promote`, the key's next newest becomes the latest. */
  private remove(key: string, versionId: string, promote: boolean): { blobs: BlobRef[]; deleteMarker: boolean } | undefined {
    const row = this.sql.exec<Row>(DELETE_VERSION, key, versionId).toArray()[0];
    if (!row) return undefined;
    if (promote && row.is_latest) this.sql.exec(PROMOTE_NEWEST, key, key);
    return { blobs: parse<BlobRef[]>(row.blobs) ?? [], deleteMarker: Boolean(row.delete_marker) };
  }

  private insert(o: NewObject, versionId: string, isDeleteMarker: boolean): void {
    this.sql.exec(
      INSERT,
      ++this.seq,
      o.key,
      versionId,
      isDeleteMarker ? 1 : 0,
      o.size,
      o.etag,
      o.lastModified,
      JSON.stringify(o.blobs),
      o.contentType ?? null,
      o.contentEncoding ?? null,
      o.contentDisposition ?? null,
      o.contentLanguage ?? null,
      o.cacheControl ?? null,
      o.expires ?? null,
      JSON.stringify(o.userMetadata),
      JSON.stringify(o.tags),
      o.checksum ? JSON.stringify(o.checksum) : null,
      o.partsCount ?? null,
      o.storageClass ?? null,
      o.restore ? JSON.stringify(o.restore) : null,
      o.lock ? JSON.stringify(o.lock) : null,
      o.encryption ? JSON.stringify(o.encryption) : null,
      o.acl ? JSON.stringify(o.acl) : null,
      o.data ?? null,
    );
  }
}

/** S3's version ids are opaque: 32 URL-safe characters here. */
function newVersionId(): string {
  return crypto.randomUUID().replace(/-/g, "");
}

function deleteMarker(key: string, lastModified: number): NewObject {
  return { key, size: 0, etag: "", lastModified, blobs: [], userMetadata: {}, tags: [] };
}

function parse<T>(value: SqlStorageValue | undefined): T | null {
  return typeof value === "string" ? (JSON.parse(value) as T) : null;
}

function withoutData({ data: _, ...record }: ObjectRecord & { deleteMarker: boolean }): ObjectRecord & { deleteMarker: boolean } {
  return record;
}

function toRecord(row: Row): ObjectRecord & { deleteMarker: boolean } {
  const record: ObjectRecord & { deleteMarker: boolean } = {
    key: row.key as string,
    versionId: row.version_id as string,
    deleteMarker: Boolean(row.delete_marker),
    size: row.size as number,
    etag: row.etag as string,
    lastModified: row.last_modified as number,
    blobs: parse<BlobRef[]>(row.blobs) ?? [],
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
  if (row.parts_count !== null) record.partsCount = row.parts_count as number;
  if (row.storage_class !== null) record.storageClass = row.storage_class as StorageClass;
  const restore = parse<RestoreState>(row.restore);
  if (restore) record.restore = restore;
  const lock = parse<ObjectLock>(row.object_lock);
  if (lock) record.lock = lock;
  const encryption = parse<ServerSideEncryption>(row.encryption);
  if (encryption) record.encryption = encryption;
  const acl = parse<Acl>(row.acl);
  if (acl) record.acl = acl;
  return record;
}
