/**
 * Schema of one storage node: blobs split into chunks of at most CHUNK_SIZE bytes. A chunk's
 * row records its size; its bytes are a file of the node's disk directory (`data` null), or,
 * where the node has no disk (wrangler dev, Cloudflare), the row's own `data` (a row of
 * Durable Object SQLite holds at most 2 MB). Chunks live in a rowid table, which SQLite
 * stores large values in far better than a WITHOUT ROWID one.
 */
import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const blobs = sqliteTable(
  "blobs",
  {
    id: text("id").primaryKey(),
    size: integer("size").notNull(),
    /** writing → ready → released (deleted by the alarm after a grace period) */
    state: text("state", { enum: ["writing", "ready", "released"] }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("blobs_state").on(t.state, t.updatedAt)],
);

export const chunks = sqliteTable(
  "chunks",
  {
    blobId: text("blob_id").notNull(),
    idx: integer("idx").notNull(),
    bytes: integer("bytes").notNull(),
    /** the chunk's bytes, when they are not a file on the node's disk */
    data: blob("data", { mode: "buffer" }).$type<Uint8Array>(),
  },
  (t) => [uniqueIndex("chunks_blob_idx").on(t.blobId, t.idx)],
);

/** The node's own settings that must survive a restart: one row. */
export const nodeState = sqliteTable("node_state", {
  id: integer("id").primaryKey(),
  /** marked down through storage-service's node API: every data call is refused */
  down: integer("down", { mode: "boolean" }).notNull(),
});
