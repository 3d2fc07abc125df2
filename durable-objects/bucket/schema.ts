/**
 * Schema of one bucket's Durable Object: the bucket itself, every version of its objects,
 * and its multipart uploads in progress.
 */
import { desc, sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { BlobRef, Checksum, ConfigDocument, ObjectLock, RestoreState, ServerSideEncryption, StorageClass, TagSet, Versioning } from "../../shared/records";
import type { CorsRule } from "../../shared/cors";
import type { EventName, NotificationTarget } from "../../shared/notifications/object-events";
import type { UploadTemplate } from "../../shared/uploads";
import type { Acl } from "../../shared/access/acl";

/** At most one row: the bucket this object holds, absent until created and after deletion. */
export const bucket = sqliteTable("bucket", {
  name: text("name").primaryKey(),
  ownerId: text("owner_id").notNull(),
  region: text("region").notNull(),
  createdAt: integer("created_at").notNull(),
  versioning: text("versioning").$type<Versioning>().notNull().default("Unversioned"),
  cors: text("cors", { mode: "json" }).$type<CorsRule[]>(),
  /** PutBucketNotificationConfiguration's targets; absent when none */
  notification: text("notification", { mode: "json" }).$type<NotificationTarget[]>(),
  /**
   * The configuration documents the gateway stores and reads back (tagging, policy, lifecycle,
   * encryption…; workers/gateway/src/bucket-config), by subresource: a name absent has never
   * been set (S3's default applies), one mapped to null was deleted
   */
  configs: text("configs", { mode: "json" }).$type<Record<string, ConfigDocument>>(),
});

/**
 * One row per object version (a key of an unversioned bucket has exactly one, the "null"
 * version). `seq` grows with every write to the bucket, so a key's newest version has its
 * highest seq. SQLite compares TEXT with memcmp over UTF-8, which is exactly the order in
 * which S3 lists keys; the partial index `versions_current` holds just the keys a listing
 * shows (latest version, not a delete marker).
 */
export const versions = sqliteTable(
  "versions",
  {
    key: text("key").notNull(),
    seq: integer("seq").notNull(),
    versionId: text("version_id").notNull(),
    isLatest: integer("is_latest").notNull(),
    deleteMarker: integer("delete_marker").notNull(),
    size: integer("size").notNull(),
    etag: text("etag").notNull(),
    lastModified: integer("last_modified").notNull(),
    blobs: text("blobs", { mode: "json" }).$type<BlobRef[]>().notNull(),
    contentType: text("content_type"),
    contentEncoding: text("content_encoding"),
    contentDisposition: text("content_disposition"),
    contentLanguage: text("content_language"),
    cacheControl: text("cache_control"),
    expires: text("expires"),
    userMetadata: text("user_metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    tags: text("tags", { mode: "json" }).$type<TagSet>().notNull(),
    checksum: text("checksum", { mode: "json" }).$type<Checksum | null>(),
    partsCount: integer("parts_count"),
    /** null for STANDARD */
    storageClass: text("storage_class").$type<StorageClass>(),
    /** an archived version's latest RestoreObject */
    restore: text("restore", { mode: "json" }).$type<RestoreState>(),
    /** Object Lock: retention and legal hold */
    objectLock: text("object_lock", { mode: "json" }).$type<ObjectLock>(),
    /** server-side encryption: the algorithm and KMS key a version was written with */
    encryption: text("encryption", { mode: "json" }).$type<ServerSideEncryption>(),
    /** the version's ACL and owner, when not the bucket owner's private default (shared/access/acl.ts) */
    acl: text("acl", { mode: "json" }).$type<Acl>(),
    /**
     * The bytes of a small object, kept in its row (MOCKS3_INLINE_MAX_BYTES): one read serves
     * a GET. Last in the row, so scans that do not ask for it never touch its overflow pages.
     */
    data: blob("data", { mode: "buffer" }).$type<Uint8Array>(),
  },
  (t) => [
    primaryKey({ columns: [t.key, t.seq] }),
    uniqueIndex("versions_key_version").on(t.key, t.versionId),
    index("versions_current").on(t.key).where(sql`${t.isLatest} = 1 AND ${t.deleteMarker} = 0`),
    // ListObjectVersions' order: keys ascending, each key's newest version first
    index("versions_listing").on(t.key, desc(t.seq)),
    // the few versions with a restore, whose completion and expiry the bucket announces
    index("versions_restoring").on(t.key).where(sql`${t.restore} IS NOT NULL`),
  ],
);

/** Multipart uploads in progress. */
export const uploads = sqliteTable(
  "uploads",
  {
    uploadId: text("upload_id").primaryKey(),
    key: text("key").notNull(),
    initiated: integer("initiated").notNull(),
    /** what the completed object will carry: content headers, metadata, tags, checksum */
    template: text("template", { mode: "json" }).$type<UploadTemplate>().notNull(),
  },
  (t) => [index("uploads_key").on(t.key, t.initiated, t.uploadId)],
);

/** The parts uploaded so far; a part number uploaded again replaces its row. */
export const parts = sqliteTable(
  "parts",
  {
    uploadId: text("upload_id").notNull(),
    partNumber: integer("part_number").notNull(),
    size: integer("size").notNull(),
    etag: text("etag").notNull(),
    lastModified: integer("last_modified").notNull(),
    blob: text("blob", { mode: "json" }).$type<BlobRef | null>(),
    checksum: text("checksum", { mode: "json" }).$type<Checksum | null>(),
    /** SSE-C: the counter value the part's bytes were encrypted under */
    cipherPart: integer("cipher_part"),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);

/**
 * Uploads completed within the last day, so that a retried CompleteMultipartUpload (its
 * first answer lost to a dropped connection, or to a commit_then_error fault) answers as the
 * first one did, as S3 does.
 */
export const completedUploads = sqliteTable(
  "completed_uploads",
  {
    uploadId: text("upload_id").primaryKey(),
    key: text("key").notNull(),
    /** the part list it was completed with, as the gateway writes it (numbers and ETags) */
    partList: text("parts").notNull(),
    etag: text("etag").notNull(),
    checksum: text("checksum", { mode: "json" }).$type<Checksum | null>(),
    versionId: text("version_id").notNull(),
    versioning: text("versioning").$type<Versioning>().notNull(),
    /** the object's encryption when not plain SSE-S3, answered again to a retry */
    encryption: text("encryption", { mode: "json" }).$type<ServerSideEncryption>(),
    completedAt: integer("completed_at").notNull(),
  },
  (t) => [index("completed_uploads_at").on(t.completedAt)],
);

/**
 * The outbox: one row per object change, written in the same turn as the change, kept until
 * queue-service has handled it (shared/notifications/object-events.ts). Survives the bucket's
 * deletion, so that the removals before it still reach the index.
 */
export const events = sqliteTable("events", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  name: text("name").$type<EventName>().notNull(),
  key: text("key").notNull(),
  versionId: text("version_id"),
  size: integer("size"),
  etag: text("etag"),
  time: integer("time").notNull(),
  requestId: text("request_id"),
  sourceIp: text("source_ip"),
  principal: text("principal"),
});
