import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { FaultService } from "../../shared/faults/fault-services";
import type { Rule } from "../../shared/faults/rule";
import type { FaultReport, RuleCount, RulesetChanges, RulesUpdate } from "../../shared/faults/ruleset";
import type { DiskFullState, DownState, ServiceStates } from "../../shared/faults/service-states";
import { openDatabase } from "../../shared/durable-database";
import { TracedDurableObject } from "../traced-object";
import { GroupCommit } from "../group-commit";
import { ChangeLog } from "./change-log";
import migrations from "./drizzle/migrations.js";
import { readCounts, readEvents, recordReport, type EventPage, type EventQuery } from "./fault-events";
import { Recordings } from "./recordings";
import { rules, ruleSetState } from "./schema";
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

export abstract class FaultRulesBase extends TracedDurableObject {
  protected readonly db: DrizzleSqliteDODatabase;
  /** rules created together share one commit (a script adding thousands, several at a time) */
  protected readonly writes: GroupCommit;
  private log: ChangeLog | undefined;
  private byId: Map<string, Rule> | undefined;
  /** the rules oldest first; rebuilt after a change, when next asked for */
  protected sorted: Rule[] | undefined;
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

  protected recordings(): Recordings {
    this.tapes ??= new Recordings(this.ctx.storage.sql, () => this.changed());
    return this.tapes;
  }

  /** What changed since `from`, with the rest of the rule set as it is now, while the log still holds it. */
  protected changesSince(from: number | undefined): RulesetChanges | undefined {
    const states = this.states();
    const { version, epoch, seed } = this.state();
    const changes = from === undefined || from > version ? undefined : this.log?.since(from, version);
    return changes && { version, epoch, seed: seed ?? null, states, tape: this.recordings().tape, from: from!, ...changes };
  }

  protected rules(): Map<string, Rule> {
    if (!this.byId) {
      this.byId = new Map();
      for (const row of this.db.select().from(rules).all()) {
        const rule = JSON.parse(row.body) as Rule;
        this.byId.set(rule.id, rule);
      }
    }
    return this.byId;
  }

  protected state(): SetState {
    if (this.meta) return this.meta;
    let row = this.db.select().from(ruleSetState).get();
    if (!row) {
      row = { id: 1, version: 1, epoch: 1, seed: null, since: new Date().toISOString() };
      this.db.insert(ruleSetState).values(row).run();
    }
    this.meta = row;
    return row;
  }

  protected writeMeta(change: Partial<Omit<SetState, "id">>): void {
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
  protected changed(upserts: Rule[] = [], deletes: string[] = []): void {
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
