/** Schema of one bucket's Durable Object: the bucket itself and its objects' metadata. */
import { blob, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { BlobRef, Checksum, TagSet } from "../../shared/records";

/** At most one row: the bucket this object holds, absent until created and after deletion. */
export const bucket = sqliteTable("bucket", {
  name: text("name").primaryKey(),
  ownerId: text("owner_id").notNull(),
  region: text("region").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * One row per key. SQLite compares TEXT with memcmp over UTF-8, which is exactly the order
 * in which S3 lists keys, so the primary key index serves every listing.
 */
export const objects = sqliteTable("objects", {
  key: text("key").primaryKey(),
  size: integer("size").notNull(),
  etag: text("etag").notNull(),
  lastModified: integer("last_modified").notNull(),
  blob: text("blob", { mode: "json" }).$type<BlobRef | null>(),
  contentType: text("content_type"),
  contentEncoding: text("content_encoding"),
  contentDisposition: text("content_disposition"),
  contentLanguage: text("content_language"),
  cacheControl: text("cache_control"),
  expires: text("expires"),
  userMetadata: text("user_metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
  tags: text("tags", { mode: "json" }).$type<TagSet>().notNull(),
  checksum: text("checksum", { mode: "json" }).$type<Checksum | null>(),
  /**
   * The bytes of a small object, kept in its row (MOCKS3_INLINE_MAX_BYTES): one read serves a
   * GET. Last in the row, so scans that do not ask for it never touch its overflow pages.
   */
  data: blob("data", { mode: "buffer" }).$type<Uint8Array>(),
});
