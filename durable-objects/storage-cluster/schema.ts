/**
 * Schema of the storage cluster's backlog: work aimed at a storage node that could not take
 * it (down or failing) when it was asked, carried out when the node is up again.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A time far in the future: the task waits for its node to be marked up. */
export const PARKED = Number.MAX_SAFE_INTEGER;

export const tasks = sqliteTable(
  "tasks",
  {
    id: integer("id").primaryKey(),
    node: text("node").notNull(),
    /** repair: copy the blob to the node · release / discard: what the node missed */
    kind: text("kind", { enum: ["repair", "release", "discard"] }).notNull(),
    blobId: text("blob_id").notNull(),
    size: integer("size").notNull(),
    /** for a repair, the nodes that hold a complete copy, in order */
    sources: text("sources", { mode: "json" }).$type<string[]>().notNull(),
    attempts: integer("attempts").notNull(),
    /** not tried before this time (ms since the epoch); PARKED while the node is down */
    notBefore: integer("not_before").notNull(),
  },
  (t) => [index("tasks_node").on(t.node, t.notBefore), index("tasks_blob").on(t.blobId, t.node)],
);
