/**
 * LocalStack's chaos API (docs.localstack.cloud, "Chaos API") as MockS3 fault rules: what
 * an entry of `/_localstack/chaos/faults` and the body of `/_localstack/chaos/effects` may
 * hold, and the rule each one is kept as. No state of its own: the rules are the state, so
 * what LocalStack's API sets is listed, broadcast, counted and halted as every rule is.
 *
 * - A fault entry `{service, region, operation, probability, error: {statusCode, code}}`
 *   (every field optional) becomes the gateway rule `localstack-fault-<n>`: an `http_error`
 *   (503 ServiceUnavailable unless `error` says otherwise; a `statusCode` without a `code`
 *   takes S3's code for that status), an `operation` condition when it names one, and a
 *   `probability` condition when it is below 1. The entry as written is kept in the rule's
 *   description, which is how GET gives the list back as it was sent.
 * - First match wins: entry n has priority -1 - n, so the list's order is the gate's order,
 *   and MockS3's own rules (priority 0 by default) come before LocalStack's entries.
 * - MockS3 serves S3 only: an entry naming another service is refused with the reason.
 * - MockS3 has one region (MOCKS3_REGION). An entry for another region is kept (GET lists
 *   it) but its rule is stored disabled: it never matches, as in LocalStack, where no request
 *   of that region reaches this endpoint.
 * - The latency effect is the gateway rule `localstack-latency`: a `delay` on every request,
 *   with the lowest priority. The gate applies one rule per request, so the fault entries'
 *   rules carry the latency too, as their error's `delay`: a request an entry fails is
 *   answered after the latency, as LocalStack delays it.
 */
import { z } from "zod";
import { MAX_HOLD_MS } from "../../../shared/faults/actions";
import { durationMs } from "../../../shared/faults/duration";
import { describeIssues, type Rule, type RuleCheck } from "../../../shared/faults/rule";
import { S3_OPERATIONS } from "../../../shared/s3-operations";

export type RuleDraft = Extract<RuleCheck, { ok: true }>["rule"];

/** The most entries the list holds (LocalStack's lists are a handful). */
export const MAX_ENTRIES = 500;
/** Entry numbers run to this before PATCH renumbers the list (priorities stay above the latency's). */
export const LAST_NUMBER = 998;

/** LocalStack's fault entries are the rules named so, numbered in the list's order. */
export const FAULT_NAME_PREFIX = "localstack-fault-";
const FAULT_NAME = /^localstack-fault-(\d+)$/;
const LATENCY_NAME = "localstack-latency";
const LATENCY_PRIORITY = -1000;
const DESCRIPTION = "LocalStack chaos fault (/_localstack/chaos/faults): ";

const PROBABILITY = "a probability is a number from 0 to 1";

const entrySchema = z.strictObject({
  service: z.string().optional(),
  region: z.string().min(1).optional(),
  operation: z.enum(S3_OPERATIONS, { error: (issue) => `unknown S3 operation ${JSON.stringify(issue.input)} (S3's names, e.g. PutObject)` }).optional(),
  probability: z.number({ error: PROBABILITY }).min(0, PROBABILITY).max(1, PROBABILITY).optional(),
  error: z
    .strictObject({
      statusCode: z.number().int().min(400).max(599).optional(),
      code: z
        .string()
        .regex(/^[A-Z][A-Za-z0-9.]{1,63}$/, { message: "is not an error code (e.g. ServiceUnavailable)" })
        .optional(),
    })
    .optional(),
});

export type FaultEntry = z.output<typeof entrySchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A list of entries as sent: the entries, or why not (naming the entry at fault). */
export function parseEntries(body: unknown): Parsed<FaultEntry[]> {
  if (!Array.isArray(body)) return { ok: false, reason: "the faults are a JSON array of entries ([] clears them)" };
  if (body.length > MAX_ENTRIES) return { ok: false, reason: `the list holds at most ${MAX_ENTRIES} entries, not ${body.length}` };
  const entries: FaultEntry[] = [];
  for (const [i, input] of body.entries()) {
    // the service first: another service's entry is refused for that, not for its operation
    const service = (input as { service?: unknown } | null)?.service;
    if (typeof service === "string" && service.toLowerCase() !== "s3") {
      return { ok: false, reason: `entry ${i}: MockS3 serves S3 only; service ${JSON.stringify(service)} is not "s3" (omit service or name s3)` };
    }
    const parsed = entrySchema.safeParse(input);
    if (!parsed.success) return { ok: false, reason: `entry ${i}: ${describeIssues(parsed.error)}` };
    entries.push(parsed.data);
  }
  return { ok: true, value: entries };
}

/** The rule that carries entry number `n`, its error answered after `latencyMs` (the latency effect). */
export function faultRule(entry: FaultEntry, n: number, region: string, latencyMs: number): RuleDraft {
  const conditions: RuleDraft["conditions"] = [];
  if (entry.operation !== undefined) conditions.push({ type: "operation", value: [entry.operation] });
  if (entry.probability !== undefined && entry.probability < 1) conditions.push({ type: "probability", value: entry.probability });
  const { statusCode, code } = entry.error ?? {};
  const action: RuleDraft["action"] =
    statusCode === undefined
      ? { type: "http_error", http_code: 503, error_code: code ?? "ServiceUnavailable" }
      : { type: "http_error", http_code: statusCode, ...(code === undefined ? {} : { error_code: code }) };
  if (latencyMs > 0 && action.type === "http_error") action.delay = `${latencyMs}ms`;
  return {
    name: `localstack-fault-${n}`,
    description: DESCRIPTION + JSON.stringify(entry),
    service: "gateway",
    enabled: entry.region === undefined || entry.region === region,
    conditions,
    action,
    priority: -1 - n,
  };
}

/** The number of a LocalStack fault rule, or undefined for any other rule. */
export function faultNumber(rule: Pick<Rule, "name">): number | undefined {
  const match = FAULT_NAME.exec(rule.name);
  return match ? Number(match[1]) : undefined;
}

/** LocalStack's fault rules in the list's order: entry 0 (the highest priority) first. */
export function faultRules(rules: Rule[]): Rule[] {
  return rules.filter((rule) => faultNumber(rule) !== undefined).sort((a, b) => faultNumber(a)! - faultNumber(b)!);
}

/** The entry a fault rule carries, as it was sent. */
export function entryOf(rule: Rule): FaultEntry {
  if (rule.description.startsWith(DESCRIPTION)) {
    const parsed = entrySchema.safeParse(safeJson(rule.description.slice(DESCRIPTION.length)));
    if (parsed.success) return parsed.data;
  }
  // a description rewritten through /api/v1/rules: what the rule itself says
  const operation = rule.conditions.find((c) => c.type === "operation")?.value[0];
  const probability = rule.conditions.find((c) => c.type === "probability")?.value;
  const error = rule.action.type === "http_error" ? { statusCode: rule.action.http_code, ...(rule.action.error_code ? { code: rule.action.error_code } : {}) } : undefined;
  return { service: "s3", ...(operation ? { operation } : {}), ...(probability === undefined ? {} : { probability }), ...(error ? { error } : {}) };
}

/** Whether two entries say the same (DELETE removes the entries equal to one it is given). */
export function sameEntry(a: FaultEntry, b: FaultEntry): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value).filter(([, v]) => v !== undefined);
    fields.sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${fields.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const effectsSchema = z.strictObject({
  latency: z
    .number({ error: "latency is a number of milliseconds (0 removes it)" })
    .int("latency is a whole number of milliseconds")
    .min(0, "latency is a number of milliseconds (0 removes it)")
    .max(MAX_HOLD_MS, `latency is at most ${MAX_HOLD_MS} ms`),
});

export type Effects = z.output<typeof effectsSchema>;

export function parseEffects(body: unknown): Parsed<Effects> {
  const parsed = effectsSchema.safeParse(body);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: describeIssues(parsed.error) };
}

/** The latency rule among the rules, if one is set. */
export function latencyRule(rules: Rule[]): Rule | undefined {
  return rules.find((rule) => rule.name === LATENCY_NAME);
}

export function latencyOf(rule: Rule | undefined): number {
  return rule?.action.type === "delay" ? (durationMs(rule.action.delay) ?? 0) : 0;
}

/** The rule that delays every S3 request by `ms`. */
export function latencyDraft(ms: number): RuleDraft {
  return {
    name: LATENCY_NAME,
    description: `LocalStack chaos effect (/_localstack/chaos/effects): ${ms} ms on every S3 request`,
    service: "gateway",
    enabled: true,
    conditions: [],
    action: { type: "delay", delay: `${ms}ms` },
    priority: LATENCY_PRIORITY,
  };
}
