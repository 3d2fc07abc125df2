/**
 * Schema of the fault rule store: the rules (each as its JSON), the rule set's version, epoch
 * and global seed, per-rule counts, the newest injection events, the service states, and the
 * recordings of injection decisions and the replay in force (recordings.ts).
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

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

/** The service states anomalies set (shared/faults/service-states.ts), each until its end. */
export const serviceStates = sqliteTable("service_states", {
  /** `down:<service>` or `disk_full` */
  key: text("key").primaryKey(),
  anomalyId: text("anomaly_id").notNull(),
  /** service_down's mode; null for disk_full */
  mode: text("mode"),
  /** ISO time; the state is dropped after it */
  until: text("until").notNull(),
});

/** Recordings of injection decisions, the newest RECORDINGS_KEPT (recordings.ts). */
export const recordings = sqliteTable("recordings", {
  id: text("id").primaryKey(),
  startedAt: text("started_at").notNull(),
  stoppedAt: text("stopped_at"),
  /** `stopped` or `full` */
  stopReason: text("stop_reason"),
  decisions: integer("decisions").notNull(),
  /** where it stops by itself (MOCKS3_MAX_RECORDED_DECISIONS when it started) */
  maxDecisions: integer("max_decisions").notNull(),
});

export const recordedDecisions = sqliteTable(
  "recorded_decisions",
  {
    recordingId: text("recording_id").notNull(),
    seq: integer("seq").notNull(),
    /** the GateDecision as JSON */
    body: text("body").notNull(),
  },
  (t) => [primaryKey({ columns: [t.recordingId, t.seq] })],
);

/** The replay in force: one row (id 1), or none. */
export const replayState = sqliteTable("replay_state", {
  id: integer("id").primaryKey(),
  replayId: text("replay_id").notNull(),
  recordingId: text("recording_id").notNull(),
  startedAt: text("started_at").notNull(),
  decisions: integer("decisions").notNull(),
  replayed: integer("replayed").notNull(),
  unknown: integer("unknown").notNull(),
  /** 1 once all its decisions are in (they arrive in pages); the gates see it only then */
  ready: integer("ready").notNull(),
});

/** The replay's recorded decisions, each used once. */
export const replayDecisions = sqliteTable(
  "replay_decisions",
  {
    seq: integer("seq").primaryKey(),
    gate: text("gate").notNull(),
    /** the RecordedDecision as JSON */
    body: text("body").notNull(),
    used: integer("used").notNull(),
  },
  (t) => [index("replay_decisions_gate").on(t.gate, t.seq)],
);

/** The first unknown requests the replay met (UnknownRequest as JSON). */
export const replayUnknown = sqliteTable("replay_unknown", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  body: text("body").notNull(),
});
