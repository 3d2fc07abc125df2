/**
 * Schema of one storage node: blobs split into chunks of at most CHUNK_SIZE bytes (a row of
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
    data: blob("data", { mode: "buffer" }).$type<Uint8Array>().notNull(),
  },
  (t) => [uniqueIndex("chunks_blob_idx").on(t.blobId, t.idx)],
);

/** The node's own settings that must survive a restart: one row. */
export const nodeState = sqliteTable("node_state", {
  id: integer("id").primaryKey(),
  /** marked down through storage-service's node API: every data call is refused */
  down: integer("down", { mode: "boolean" }).notNull(),
});
