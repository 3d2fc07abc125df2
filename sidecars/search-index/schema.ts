/**
 * The search index's tables (libSQL through drizzle): each bucket key's current object, its
 * tags and user metadata as rows of their own (so that a filter on one is an index look-up),
 * and the dead letters of webhook deliveries.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import type { S3EventRecord } from "../../shared/notifications/event-record";

export const objects = sqliteTable(
  "objects",
  {
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    versionId: text("version_id").notNull(),
    size: integer("size").notNull(),
    etag: text("etag").notNull(),
    contentType: text("content_type"),
    /** milliseconds since the epoch */
    lastModified: integer("last_modified").notNull(),
    userMetadata: text("user_metadata", { mode: "json" }).$type<Record<string, string>>().notNull(),
    tags: text("tags", { mode: "json" }).$type<Record<string, string>>().notNull(),
    indexedAt: integer("indexed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.bucket, t.key] }),
    index("objects_size").on(t.bucket, t.size),
    index("objects_modified").on(t.bucket, t.lastModified),
    index("objects_type").on(t.bucket, t.contentType),
  ],
);

export const objectTags = sqliteTable(
  "object_tags",
  {
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key, t.name] }), index("object_tags_value").on(t.name, t.value)],
);

export const objectMetadata = sqliteTable(
  "object_metadata",
  {
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    value: text("value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.key, t.name] }), index("object_metadata_value").on(t.name, t.value)],
);

export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    eventName: text("event_name").notNull(),
    destination: text("destination").notNull(),
    configurationId: text("configuration_id").notNull(),
    attempts: integer("attempts").notNull(),
    reason: text("reason").notNull(),
    failedAt: integer("failed_at").notNull(),
    record: text("record", { mode: "json" }).$type<S3EventRecord>().notNull(),
  },
  (t) => [index("dead_letters_bucket").on(t.bucket, t.id)],
);
