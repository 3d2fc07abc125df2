/**
 * The fault rule store: one Durable Object (named "rules") holding every rule, the rule set's
 * version (bumped by every change, so gates know to catch up), the accounting the gates
 * report and the newest injection events (fault-events.ts). Rules arrive checked
 * (mock-error-service validates them); this object keeps them and answers. The service
 * states anomalies set (service-states.ts) travel with the rules, each until its end, as do
 * the recording running and the replay in force (recordings.ts).
 *
 * The rules are also held in memory, so that a change costs one row and one map entry, and
 * a gate catching up gets only what changed since its version (change-log.ts): adding the
 * 10,000th rule costs what adding the first did.
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { FaultService } from "../../shared/faults/fault-services";
import type { RecordedDecision, Recording, RecordingSummary, ReplayProgress } from "../../shared/faults/recording";
import type { Rule } from "../../shared/faults/rule";
import type { FaultReport, RuleCount, Ruleset, RulesetChanges, RulesUpdate } from "../../shared/faults/ruleset";
import type { DiskFullState, DownState, ServiceStates } from "../../shared/faults/service-states";
import { openDatabase } from "../database";
import { TracedDurableObject } from "../traced-object";
import { GroupCommit } from "../group-commit";
import { ChangeLog } from "./change-log";
import migrations from "./drizzle/migrations.js";
import { readCounts, readEvents, recordReport, type EventPage, type EventQuery } from "./fault-events";
import { Recordings } from "./recordings";
import { faultEvents, ruleCounts, rules, ruleSetState } from "./schema";
import { deleteAllStates, deleteState, dropEndedStates, readStates, writeState, type StateKey } from "./service-states";

export type RuleDraft = Omit<Rule, "id" | "created_at" | "updated_at">;

export interface CountsReport {
  since: string;
  counts: RuleCount[];
}

/** A write refused because the store holds `limit` rules already. */
export interface OverLimit {
  limit: number;
}

type SetState = typeof ruleSetState.$inferSelect;

export class FaultRulesDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "mock-error-service";

  private readonly db: DrizzleSqliteDODatabase;
  /** rules created together share one commit (a script adding thousands, several at a time) */
  private readonly writes: GroupCommit;
  private log: ChangeLog | undefined;
  private byId: Map<string, Rule> | undefined;
  /** the rules oldest first; rebuilt after a change, when next asked for */
  private sorted: Rule[] | undefined;
  private meta: SetState | undefined;
  private serviceStates: ServiceStates | undefined;
  /** when the first of the service states ends (ms) */
  private statesEndAt = Infinity;
  private tapes: Recordings | undefined;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
    this.writes = new GroupCommit(ctx.storage);
  }

  /** The rule set, the changes since `knownVersion` when they are still known, or null when the caller is current. */
  snapshot(knownVersion?: number): RulesUpdate | null {
    const states = this.states();
    const { version, epoch, seed } = this.state();
    if (knownVersion === version) return null;
    return this.changesSince(knownVersion) ?? { version, epoch, seed: seed ?? null, states, tape: this.recordings().tape, rules: this.list() };
  }

  /** The rule set's version (after dropping states that have ended). */
  version(): number {
    this.states();
    return this.state().version;
  }

  /** Every rule, oldest first. */
  list(): Rule[] {
    this.sorted ??= [...this.rules().values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    return this.sorted;
  }

  get(id: string): Rule | null {
    return this.rules().get(id) ?? null;
  }

  /** New rules, all or none (none when they would take the store past `limit` rules), and the change they made. */
  create(drafts: RuleDraft[], limit: number): Promise<{ rules: Rule[]; change: RulesetChanges } | OverLimit> {
    return this.writes.run(() => {
      if (this.rules().size + drafts.length > limit) return { limit };
      const now = new Date().toISOString();
      const created = drafts.map((draft): Rule => ({ id: crypto.randomUUID(), ...draft, created_at: now, updated_at: now }));
      // plain SQL: drizzle's query building was a third of a create's cost in a profile
      for (const rule of created) this.ctx.storage.sql.exec("INSERT INTO rules (id, body) VALUES (?, ?)", rule.id, JSON.stringify(rule));
      this.changed(created);
      // the log has just recorded it
      return { rules: created, change: this.changesSince(this.state().version - 1)! };
    });
  }

  /**
   * Removes some rules — those of `remove.ids`, and every rule whose name starts with
   * `remove.namePrefix` — and creates `drafts`, in one step, one version of the rule set (a
   * list that replaces another, e.g. LocalStack's chaos faults); none of it past `limit`.
   */
  swap(remove: { ids?: string[]; namePrefix?: string }, drafts: RuleDraft[], limit: number): Promise<{ rules: Rule[] } | OverLimit> {
    return this.writes.run(() => {
      const all = this.rules();
      const { ids = [], namePrefix } = remove;
      const gone = [...all.values()].filter((rule) => ids.includes(rule.id) || (namePrefix !== undefined && rule.name.startsWith(namePrefix))).map((rule) => rule.id);
      if (all.size - gone.length + drafts.length > limit) return { limit };
      const now = new Date().toISOString();
      const created = drafts.map((draft): Rule => ({ id: crypto.randomUUID(), ...draft, created_at: now, updated_at: now }));
      for (const id of gone) {
        this.ctx.storage.sql.exec("DELETE FROM rules WHERE id = ?", id);
        this.ctx.storage.sql.exec("DELETE FROM rule_counts WHERE rule_id = ?", id);
      }
      for (const rule of created) this.ctx.storage.sql.exec("INSERT INTO rules (id, body) VALUES (?, ?)", rule.id, JSON.stringify(rule));
      if (gone.length > 0 || created.length > 0) this.changed(created, gone);
      return { rules: created };
    });
  }

  replace(id: string, draft: RuleDraft): Rule | null {
    const old = this.get(id);
    if (!old) return null;
    const rule: Rule = { id, ...draft, created_at: old.created_at, updated_at: laterThan(old.updated_at) };
    this.db
      .update(rules)
      .set({ body: JSON.stringify(rule) })
      .where(eq(rules.id, id))
      .run();
    this.changed([rule]);
    return rule;
  }

  remove(id: string): boolean {
    if (!this.get(id)) return false;
    this.db.delete(rules).where(eq(rules.id, id)).run();
    this.db.delete(ruleCounts).where(eq(ruleCounts.ruleId, id)).run();
    this.changed([], [id]);
    return true;
  }

  /** Deletes every rule; how many there were. */
  removeAll(): number {
    const ids = [...this.rules().keys()];
    if (ids.length === 0) return 0;
    this.db.delete(rules).run();
    this.db.delete(ruleCounts).run();
    this.changed([], ids);
    return ids.length;
  }

  /** Every rule off; the number of rules that were on. */
  halt(): number {
    const off = this.list()
      .filter((rule) => rule.enabled)
      .map((rule): Rule => ({ ...rule, enabled: false, updated_at: laterThan(rule.updated_at) }));
    if (off.length === 0) return 0;
    this.ctx.storage.transactionSync(() => {
      for (const rule of off)
        this.db
          .update(rules)
          .set({ body: JSON.stringify(rule) })
          .where(eq(rules.id, rule.id))
          .run();
    });
    this.changed(off);
    return off.length;
  }

  /** Counts, events and every rule's count gates start over. */
  reset(): Ruleset {
    this.db.delete(ruleCounts).run();
    this.db.delete(faultEvents).run();
    const state = this.state();
    this.writeMeta({ epoch: state.epoch + 1, since: new Date().toISOString() });
    this.changed();
    return this.snapshot() as Ruleset;
  }

  setSeed(seed: number | null): Ruleset {
    this.writeMeta({ seed });
    this.changed();
    return this.snapshot() as Ruleset;
  }

  /** The service states in force. */
  states(): ServiceStates {
    if (this.serviceStates && Date.now() < this.statesEndAt) return this.serviceStates;
    if (dropEndedStates(this.db) > 0) this.changed();
    const { states, endsAt } = readStates(this.db);
    this.serviceStates = states;
    this.statesEndAt = endsAt;
    return states;
  }

  /** Sets a state: `down:<service>` or `disk_full`. */
  setState(key: StateKey, state: DownState | DiskFullState): ServiceStates {
    writeState(this.db, key, state);
    this.statesChanged();
    return this.states();
  }

  /** Clears a state (only the one `anomalyId` set, when given), or every state without a key. */
  clearState(key?: StateKey, anomalyId?: string): ServiceStates {
    const cleared = key === undefined ? deleteAllStates(this.db) > 0 : deleteState(this.db, key, anomalyId);
    if (cleared) this.statesChanged();
    return this.states();
  }

  /** A gate's buffered accounting; reports from before the last reset are dropped (their decisions recorded all the same). */
  record(report: FaultReport): void {
    if (report.tapes && report.tapes.length > 0) this.recordings().take(report.tapes);
    if (report.epoch !== this.state().epoch) return;
    const known = this.rules();
    recordReport(this.db, this.ctx.storage.sql, report, (id) => known.has(id));
  }

  counts(): CountsReport {
    return { since: this.state().since, counts: readCounts(this.db) };
  }

  events(query: EventQuery): EventPage {
    return readEvents(this.db, query);
  }

  /** A new recording, or the one running (which refuses it). */
  // Recordings and the replay (recordings.ts): each change of them is a change of the rule set.
  startRecording(maxDecisions: number): { started: RecordingSummary } | { running: RecordingSummary } {
    return this.recordings().start(maxDecisions);
  }

  stopRecording(id: string): RecordingSummary | null {
    return this.recordings().stop(id);
  }

  listRecordings(): RecordingSummary[] {
    return this.recordings().list();
  }

  exportRecording(id: string, afterSeq: number): Recording | null {
    return this.recordings().export(id, afterSeq);
  }

  startReplay(recordingId: string, decisions: number): string {
    return this.recordings().startReplay(recordingId, decisions);
  }

  addToReplay(replayId: string, decisions: RecordedDecision[], last: boolean): boolean {
    return this.recordings().addToReplay(replayId, decisions, last);
  }

  replayPlan(replayId: string, gate: string, afterSeq: number): RecordedDecision[] {
    return this.recordings().replayPlan(replayId, gate, afterSeq);
  }

  replayProgress(): ReplayProgress | null {
    return this.recordings().replayProgress();
  }

  endReplay(): ReplayProgress | null {
    return this.recordings().endReplay();
  }

  private recordings(): Recordings {
    this.tapes ??= new Recordings(this.ctx.storage.sql, () => this.changed());
    return this.tapes;
  }

  /** What changed since `from`, with the rest of the rule set as it is now, while the log still holds it. */
  private changesSince(from: number | undefined): RulesetChanges | undefined {
    const states = this.states();
    const { version, epoch, seed } = this.state();
    const changes = from === undefined || from > version ? undefined : this.log?.since(from, version);
    return changes && { version, epoch, seed: seed ?? null, states, tape: this.recordings().tape, from: from!, ...changes };
  }

  private rules(): Map<string, Rule> {
    if (!this.byId) {
      this.byId = new Map();
      for (const row of this.db.select().from(rules).all()) {
        const rule = JSON.parse(row.body) as Rule;
        this.byId.set(rule.id, rule);
      }
    }
    return this.byId;
  }

  private state(): SetState {
    if (this.meta) return this.meta;
    let row = this.db.select().from(ruleSetState).get();
    if (!row) {
      row = { id: 1, version: 1, epoch: 1, seed: null, since: new Date().toISOString() };
      this.db.insert(ruleSetState).values(row).run();
    }
    this.meta = row;
    return row;
  }

  private writeMeta(change: Partial<Omit<SetState, "id">>): void {
    this.db.update(ruleSetState).set(change).run();
    this.meta = { ...this.state(), ...change };
  }

  /** The version alone, in plain SQL: every change writes it. */
  private writeVersion(version: number): void {
    this.ctx.storage.sql.exec("UPDATE rule_set_state SET version = ?", version);
    this.meta = { ...this.state(), version };
  }

  private statesChanged(): void {
    this.serviceStates = undefined;
    this.changed();
  }

  /** Bumps the version after a change and keeps what changed, in memory and in the log. */
  private changed(upserts: Rule[] = [], deletes: string[] = []): void {
    this.log ??= new ChangeLog(this.state().version);
    const version = this.state().version + 1;
    this.writeVersion(version);
    const all = this.rules();
    // the services whose rules change: a rule's old service too, when it moved
    const services = new Set<FaultService>();
    for (const rule of upserts) {
      const old = all.get(rule.id);
      if (old) services.add(old.service);
      services.add(rule.service);
      all.set(rule.id, rule);
    }
    for (const id of deletes) {
      const old = all.get(id);
      if (old) services.add(old.service);
      all.delete(id);
    }
    if (upserts.length > 0 || deletes.length > 0) this.sorted = undefined;
    this.log.record(version, upserts, deletes, services.size > 0 ? services : "all");
  }
}

/** An ISO time after `previous`, even within the same millisecond (counts key on it). */
function laterThan(previous: string): string {
  const now = Date.now();
  const last = Date.parse(previous);
  return new Date(now > last ? now : last + 1).toISOString();
}
