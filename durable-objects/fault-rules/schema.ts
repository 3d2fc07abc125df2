/**
 * Schema of the fault rule store: the rules (each as its JSON), the rule set's version, epoch
 * and global seed, per-rule counts, and the newest injection events.
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const rules = sqliteTable("rules", {
  id: text("id").primaryKey(),
  /** the Rule as JSON */
  body: text("body").notNull(),
});

/** One row (id 1). */
export const ruleSetState = sqliteTable("rule_set_state", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
  epoch: integer("epoch").notNull(),
  seed: integer("seed"),
  /** when counts last started over (ISO time) */
  since: text("since").notNull(),
});

export const ruleCounts = sqliteTable("rule_counts", {
  ruleId: text("rule_id").primaryKey(),
  ruleName: text("rule_name").notNull(),
  service: text("service").notNull(),
  action: text("action").notNull(),
  matched: integer("matched").notNull(),
  injected: integer("injected").notNull(),
});

export const faultEvents = sqliteTable(
  "fault_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    time: text("time").notNull(),
    ruleId: text("rule_id").notNull(),
    ruleName: text("rule_name").notNull(),
    service: text("service").notNull(),
    operation: text("operation").notNull(),
    bucket: text("bucket").notNull(),
    key: text("key").notNull(),
    action: text("action").notNull(),
    requestId: text("request_id").notNull(),
  },
  (t) => [index("fault_events_rule").on(t.ruleId, t.id)],
);
