/** Schema of the upstream store: per local bucket, the upstream S3 source it reads through from. */
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const upstreams = sqliteTable("upstreams", {
  /** the local bucket */
  bucket: text("bucket").primaryKey(),
  /** the upstream's URL, e.g. https://s3.eu-west-1.amazonaws.com */
  endpoint: text("endpoint").notNull(),
  upstreamBucket: text("upstream_bucket").notNull(),
  region: text("region").notNull(),
  accessKeyId: text("access_key_id").notNull(),
  secretAccessKey: text("secret_access_key").notNull(),
  /** 1: https://host/bucket/key; 0: https://bucket.host/key */
  forcePathStyle: integer("force_path_style", { mode: "boolean" }).notNull(),
  /** ISO times */
  createdAt: text("created_at").notNull(),
  updatedAt: text("updated_at").notNull(),
});
