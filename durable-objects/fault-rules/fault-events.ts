/**
 * The rule store's accounting: per-rule counts and the newest EVENTS_KEPT injection events,
 * as the gates report them, and the events read back page by page, newest first.
 */
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { FaultEvent, FaultReport, RuleCount } from "../../shared/faults/ruleset";
import { faultEvents, ruleCounts } from "./schema";

export const EVENTS_KEPT = 20_000;

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

/** Adds a report's counts (of rules that still exist) and events, dropping the oldest events beyond EVENTS_KEPT. */
export function recordReport(db: DrizzleSqliteDODatabase, sqlStorage: SqlStorage, report: FaultReport, exists: (ruleId: string) => boolean): void {
  for (const count of report.counts) {
    if (!exists(count.rule_id)) continue;
    db.insert(ruleCounts)
      .values({ ruleId: count.rule_id, ruleName: count.rule_name, service: count.service, action: count.action, matched: count.matched, injected: count.injected })
      .onConflictDoUpdate({
        target: ruleCounts.ruleId,
        set: {
          ruleName: count.rule_name,
          service: count.service,
          action: count.action,
          matched: sql`${ruleCounts.matched} + ${count.matched}`,
          injected: sql`${ruleCounts.injected} + ${count.injected}`,
        },
      })
      .run();
  }
  // a report never adds more than the events kept
  for (const event of report.events.slice(-EVENTS_KEPT)) {
    db.insert(faultEvents)
      .values({
        time: event.time,
        ruleId: event.rule_id,
        ruleName: event.rule_name,
        service: event.service,
        operation: event.operation,
        bucket: event.bucket,
        key: event.key,
        action: event.action,
        requestId: event.request_id,
      })
      .run();
  }
  if (report.events.length > 0) sqlStorage.exec("DELETE FROM fault_events WHERE id <= (SELECT MAX(id) FROM fault_events) - ?", EVENTS_KEPT);
}

export function readCounts(db: DrizzleSqliteDODatabase): RuleCount[] {
  return db
    .select()
    .from(ruleCounts)
    .all()
    .map((r) => ({ rule_id: r.ruleId, rule_name: r.ruleName, service: r.service as RuleCount["service"], action: r.action as RuleCount["action"], matched: r.matched, injected: r.injected }));
}

export function readEvents(db: DrizzleSqliteDODatabase, query: EventQuery): EventPage {
  const filters: SQL[] = [];
  if (query.rule_id) filters.push(eq(faultEvents.ruleId, query.rule_id));
  if (query.service) filters.push(eq(faultEvents.service, query.service));
  if (query.action) filters.push(eq(faultEvents.action, query.action));
  if (query.operation) filters.push(eq(faultEvents.operation, query.operation));
  if (query.bucket) filters.push(eq(faultEvents.bucket, query.bucket));
  if (query.since) filters.push(gte(faultEvents.time, query.since));
  if (query.until) filters.push(lte(faultEvents.time, query.until));
  const where = filters.length > 0 ? and(...filters) : undefined;
  const total = db.select({ n: sql<number>`count(*)` }).from(faultEvents).where(where).get()?.n ?? 0;
  const page = db
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
