/**
 * Schema of the experiments' Durable Object: each experiment's run (its state as JSON,
 * run-state.ts) and its samples, one row per sample (four a second while it runs).
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const experiments = sqliteTable(
  "experiments",
  {
    id: text("id").primaryKey(),
    createdAt: text("created_at").notNull(),
    status: text("status").notNull(),
    /** the RunState as JSON */
    body: text("body").notNull(),
  },
  (table) => [index("experiments_status").on(table.status)],
);

export const samples = sqliteTable(
  "samples",
  {
    experimentId: text("experiment_id").notNull(),
    /** ms from the experiment's start */
    t: integer("t").notNull(),
    /** each check's value over its window, as JSON */
    values: text("values").notNull(),
  },
  (table) => [primaryKey({ columns: [table.experimentId, table.t] })],
);
