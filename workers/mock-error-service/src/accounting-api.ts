/**
 * `/api/v1/stats` and `/api/v1/events`: what every rule did, read after every service's gate
 * has flushed what it buffered, so the figures include requests answered a moment ago.
 *
 * Stats give, per rule and per service, the requests that met the rule's conditions
 * (matched), the faults injected, and the observed injection rate. Events list injections,
 * newest first, filtered by rule, service, action, operation, bucket and time, paged with
 * `limit` and `before` (the previous page's `next`).
 */
import { Hono } from "hono";
import type { Rule } from "../../../shared/faults/rule";
import type { RuleCount } from "../../../shared/faults/ruleset";
import { flushAll, rulesStore } from "./broadcast";
import { badRequest } from "../../../shared/json-body";

export const accountingApi = new Hono<{ Bindings: MockErrorEnv }>();

const rate = (injected: number, matched: number) => (matched === 0 ? 0 : injected / matched);

accountingApi.get("/stats", async (c) => {
  await flushAll(c.env);
  const store = rulesStore(c.env);
  const [rules, report] = await Promise.all([store.list() as Promise<Rule[]>, store.counts()]);
  const counted = new Map<string, RuleCount>(report.counts.map((count: RuleCount) => [count.rule_id, count]));
  const perRule = rules.map((rule) => {
    const count = counted.get(rule.id);
    const matched = count?.matched ?? 0;
    const injected = count?.injected ?? 0;
    return { rule_id: rule.id, name: rule.name, service: rule.service, action: rule.action.type, enabled: rule.enabled, matched, injected, injection_rate: rate(injected, matched) };
  });
  const services = new Map<string, { service: string; matched: number; injected: number }>();
  for (const rule of perRule) {
    const entry = services.get(rule.service) ?? { service: rule.service, matched: 0, injected: 0 };
    entry.matched += rule.matched;
    entry.injected += rule.injected;
    services.set(rule.service, entry);
  }
  const matched = perRule.reduce((sum, rule) => sum + rule.matched, 0);
  const injected = perRule.reduce((sum, rule) => sum + rule.injected, 0);
  return c.json({
    since: report.since,
    total_rules: rules.length,
    enabled_rules: rules.filter((rule) => rule.enabled).length,
    total_matched: matched,
    total_injected: injected,
    injection_rate: rate(injected, matched),
    rules: perRule,
    services: [...services.values()].map((s) => ({ ...s, injection_rate: rate(s.injected, s.matched) })),
  });
});

accountingApi.get("/events", async (c) => {
  const q = c.req.query();
  const limit = q.limit === undefined ? 100 : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest("limit must be an integer from 1 to 1000");
  const before = q.before === undefined ? undefined : Number(q.before);
  if (before !== undefined && !Number.isInteger(before)) throw badRequest("before must be an event id (the previous page's next)");
  for (const name of ["since", "until"] as const) {
    if (q[name] !== undefined && Number.isNaN(Date.parse(q[name]!))) throw badRequest(`${name} must be an ISO 8601 time`);
  }
  await flushAll(c.env);
  const page = await rulesStore(c.env).events({
    rule_id: q.rule ?? q.rule_id,
    service: q.service,
    action: q.action,
    operation: q.operation,
    bucket: q.bucket,
    since: q.since === undefined ? undefined : new Date(q.since).toISOString(),
    until: q.until === undefined ? undefined : new Date(q.until).toISOString(),
    before,
    limit,
  });
  return c.json(page);
});
