/**
 * The fault rule store: one Durable Object (named "rules") holding every rule, the rule set's
 * version (bumped by every change, so gates know to reload), the accounting the gates report
 * and the newest EVENTS_KEPT injection events. Rules arrive checked (mock-error-service
 * validates them); this object keeps them and answers. The service states anomalies set
 * (service-states.ts) travel with the rules, each until its end.
 */
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Rule } from "../../shared/faults/rule";
import type { FaultEvent, FaultReport, RuleCount, Ruleset } from "../../shared/faults/ruleset";
import type { DiskFullState, DownState, ServiceStates } from "../../shared/faults/service-states";
import { openDatabase } from "../database";
import { TracedDurableObject } from "../traced-object";
import migrations from "./drizzle/migrations.js";
import { faultEvents, ruleCounts, rules, ruleSetState } from "./schema";
import { deleteAllStates, deleteState, dropEndedStates, readStates, writeState, type StateKey } from "./service-states";

export const EVENTS_KEPT = 20_000;

export type RuleDraft = Omit<Rule, "id" | "created_at" | "updated_at">;

export interface EventQuery {
  rule_id?: string;
  service?: string;
  action?: string;
  operation?: string;
  bucket?: string;
  since?: string;
  until?: string;
  /** events older than this event id (the previous page's `next`) */
  before?: number;
  limit: number;
}

export interface EventPage {
  events: Array<FaultEvent & { id: number }>;
  /** pass as `before` for the next (older) page; null on the last page */
  next: number | null;
  /** events matching the filters, over all pages */
  total: number;
}

export interface CountsReport {
  since: string;
  counts: RuleCount[];
}

export class FaultRulesDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "mock-error-service";

  private readonly db: DrizzleSqliteDODatabase;
  private cache: Ruleset | undefined;
  /** when the first state of the cached rule set ends (ms) */
  private cacheEndsAt = Infinity;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
  }

  /** The rule set, or null when the caller already has `knownVersion`. */
  snapshot(knownVersion?: number): Ruleset | null {
    const ruleset = this.ruleset();
    return knownVersion === ruleset.version ? null : ruleset;
  }

  list(): Rule[] {
    return this.ruleset().rules;
  }

  get(id: string): Rule | null {
    return this.ruleset().rules.find((rule) => rule.id === id) ?? null;
  }

  create(draft: RuleDraft): Rule {
    const now = new Date().toISOString();
    const rule: Rule = { id: crypto.randomUUID(), ...draft, created_at: now, updated_at: now };
    this.db.insert(rules).values({ id: rule.id, body: JSON.stringify(rule) }).run();
    return this.changed(() => rule);
  }

  replace(id: string, draft: RuleDraft): Rule | null {
    const old = this.get(id);
    if (!old) return null;
    const rule: Rule = { id, ...draft, created_at: old.created_at, updated_at: laterThan(old.updated_at) };
    this.db.update(rules).set({ body: JSON.stringify(rule) }).where(eq(rules.id, id)).run();
    return this.changed(() => rule);
  }

  remove(id: string): boolean {
    const gone = this.db.delete(rules).where(eq(rules.id, id)).returning({ id: rules.id }).all().length > 0;
    if (gone) {
      this.db.delete(ruleCounts).where(eq(ruleCounts.ruleId, id)).run();
      this.changed(() => undefined);
    }
    return gone;
  }

  /** Every rule off; the number of rules that were on. */
  halt(): number {
    const on = this.ruleset().rules.filter((rule) => rule.enabled);
    for (const rule of on) {
      const off: Rule = { ...rule, enabled: false, updated_at: laterThan(rule.updated_at) };
      this.db.update(rules).set({ body: JSON.stringify(off) }).where(eq(rules.id, rule.id)).run();
    }
    if (on.length > 0) this.changed(() => undefined);
    return on.length;
  }

  /** Counts, events and every rule's count gates start over. */
  reset(): Ruleset {
    this.db.delete(ruleCounts).run();
    this.db.delete(faultEvents).run();
    const state = this.state();
    this.db.update(ruleSetState).set({ epoch: state.epoch + 1, since: new Date().toISOString() }).run();
    return this.changed(() => this.ruleset());
  }

  setSeed(seed: number | null): Ruleset {
    this.db.update(ruleSetState).set({ seed }).run();
    return this.changed(() => this.ruleset());
  }

  /** The service states in force. */
  states(): ServiceStates {
    return this.ruleset().states;
  }

  /** Sets a state: `down:<service>` or `disk_full`. */
  setState(key: StateKey, state: DownState | DiskFullState): ServiceStates {
    writeState(this.db, key, state);
    return this.changed(() => this.states());
  }

  /** Clears a state (only the one `anomalyId` set, when given), or every state without a key. */
  clearState(key?: StateKey, anomalyId?: string): ServiceStates {
    const cleared = key === undefined ? deleteAllStates(this.db) > 0 : deleteState(this.db, key, anomalyId);
    if (cleared) this.changed(() => undefined);
    return this.states();
  }

  /** A gate's buffered accounting; reports from before the last reset are dropped. */
  record(report: FaultReport): void {
    if (report.epoch !== this.state().epoch) return;
    for (const count of report.counts) {
      if (!this.get(count.rule_id)) continue;
      this.db
        .insert(ruleCounts)
        .values({ ruleId: count.rule_id, ruleName: count.rule_name, service: count.service, action: count.action, matched: count.matched, injected: count.injected })
        .onConflictDoUpdate({
          target: ruleCounts.ruleId,
          set: { ruleName: count.rule_name, service: count.service, action: count.action, matched: sql`${ruleCounts.matched} + ${count.matched}`, injected: sql`${ruleCounts.injected} + ${count.injected}` },
        })
        .run();
    }
    for (const event of report.events) {
      this.db
        .insert(faultEvents)
        .values({ time: event.time, ruleId: event.rule_id, ruleName: event.rule_name, service: event.service, operation: event.operation, bucket: event.bucket, key: event.key, action: event.action, requestId: event.request_id })
        .run();
    }
    if (report.events.length > 0) this.ctx.storage.sql.exec("DELETE FROM fault_events WHERE id <= (SELECT MAX(id) FROM fault_events) - ?", EVENTS_KEPT);
  }

  counts(): CountsReport {
    const rows = this.db.select().from(ruleCounts).all();
    return {
      since: this.state().since,
      counts: rows.map((r) => ({ rule_id: r.ruleId, rule_name: r.ruleName, service: r.service as RuleCount["service"], action: r.action as RuleCount["action"], matched: r.matched, injected: r.injected })),
    };
  }

  events(query: EventQuery): EventPage {
    const filters: SQL[] = [];
    if (query.rule_id) filters.push(eq(faultEvents.ruleId, query.rule_id));
    if (query.service) filters.push(eq(faultEvents.service, query.service));
    if (query.action) filters.push(eq(faultEvents.action, query.action));
    if (query.operation) filters.push(eq(faultEvents.operation, query.operation));
    if (query.bucket) filters.push(eq(faultEvents.bucket, query.bucket));
    if (query.since) filters.push(gte(faultEvents.time, query.since));
    if (query.until) filters.push(lte(faultEvents.time, query.until));
    const where = filters.length > 0 ? and(...filters) : undefined;
    const total = this.db.select({ n: sql<number>`count(*)` }).from(faultEvents).where(where).get()?.n ?? 0;
    const page = this.db
      .select()
      .from(faultEvents)
      .where(query.before === undefined ? where : and(where, lt(faultEvents.id, query.before)))
      .orderBy(desc(faultEvents.id))
      .limit(query.limit + 1)
      .all();
    const more = page.length > query.limit;
    const events = page.slice(0, query.limit).map((r) => ({
      id: r.id,
      time: r.time,
      rule_id: r.ruleId,
      rule_name: r.ruleName,
      service: r.service as FaultEvent["service"],
      operation: r.operation,
      bucket: r.bucket,
      key: r.key,
      action: r.action as FaultEvent["action"],
      request_id: r.requestId,
    }));
    return { events, next: more ? events[events.length - 1]!.id : null, total };
  }

  private ruleset(): Ruleset {
    if (this.cache && Date.now() < this.cacheEndsAt) return this.cache;
    if (dropEndedStates(this.db) > 0) this.changed(() => undefined);
    const state = this.state();
    const all = this.db
      .select()
      .from(rules)
      .all()
      .map((row) => JSON.parse(row.body) as Rule)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    const { states, endsAt } = readStates(this.db);
    this.cacheEndsAt = endsAt;
    this.cache = { version: state.version, epoch: state.epoch, seed: state.seed ?? null, rules: all, states };
    return this.cache;
  }

  private state() {
    const row = this.db.select().from(ruleSetState).get();
    if (row) return row;
    const fresh = { id: 1, version: 1, epoch: 1, seed: null, since: new Date().toISOString() };
    this.db.insert(ruleSetState).values(fresh).run();
    return fresh;
  }

  /** Bumps the version after a change and drops the cached rule set. */
  private changed<T>(result: () => T): T {
    this.db.update(ruleSetState).set({ version: this.state().version + 1 }).run();
    this.cache = undefined;
    return result();
  }
}

/** An ISO time after `previous`, even within the same millisecond (counts key on it). */
function laterThan(previous: string): string {
  const now = Date.now();
  const last = Date.parse(previous);
  return new Date(now > last ? now : last + 1).toISOString();
}
