/** Schema of the bucket registry: which buckets exist and who owns them, for ListBuckets. */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const buckets = sqliteTable(
  "buckets",
  {
    name: text("name").primaryKey(),
    ownerId: text("owner_id").notNull(),
    region: text("region").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("buckets_owner").on(t.ownerId, t.name)],
);
