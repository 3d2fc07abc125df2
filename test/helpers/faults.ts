/**
 * The fault rule API (mock-error-service) from tests. Rules on the suite's shared stack must
 * be scoped to a bucket of their own (`scoped`), since other test files run alongside; tests
 * that halt, reset or add unscoped rules start a stack of their own.
 */
import { inject } from "vitest";

export function mockErrorUrl(): string {
  return inject("services")["mock-error-service"]!;
}

export interface RuleAnswer {
  id: string;
  name: string;
  service: string;
  enabled: boolean;
  conditions: Array<Record<string, unknown>>;
  action: Record<string, unknown>;
  [field: string]: unknown;
}

export async function faultApi(method: string, path: string, body?: unknown, base = mockErrorUrl()): Promise<{ status: number; json: any }> {
  const response = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** Creates a rule; fails the test when the API refuses it. */
export async function addRule(rule: Record<string, unknown>, base = mockErrorUrl()): Promise<RuleAnswer> {
  const { status, json } = await faultApi("POST", "/rules", rule, base);
  if (status !== 201) throw new Error(`rule refused (${status}): ${JSON.stringify(json)}`);
  return json as RuleAnswer;
}

export async function deleteRule(id: string, base = mockErrorUrl()): Promise<void> {
  await faultApi("DELETE", `/rules/${id}`, undefined, base);
}

/** A rule limited to one bucket, so that it touches no other test's requests. */
export function scoped(bucket: string, rule: { service?: string; conditions?: unknown[]; action: Record<string, unknown>; [field: string]: unknown }) {
  return { name: `test rule on ${bucket}`, service: "gateway", ...rule, conditions: [{ type: "bucket", value: bucket }, ...(rule.conditions ?? [])] };
}

export interface RuleStats {
  rule_id: string;
  matched: number;
  injected: number;
  injection_rate: number;
}

export async function ruleStats(id: string, base = mockErrorUrl()): Promise<RuleStats> {
  const { json } = await faultApi("GET", "/stats", undefined, base);
  const entry = (json.rules as RuleStats[]).find((rule) => rule.rule_id === id);
  if (!entry) throw new Error(`no stats for rule ${id}`);
  return entry;
}

/** The fault headers an answer carries, if a rule touched it. */
export function faultOf(headers: Headers | Record<string, string | undefined>): { rule?: string; action?: string } {
  const get = (name: string) => (headers instanceof Headers ? (headers.get(name) ?? undefined) : headers[name]);
  return { rule: get("x-mocks3-fault-rule"), action: get("x-mocks3-fault-action") };
}

/** Runs `body` with the rule in force, and deletes the rule afterwards whatever happens. */
export async function withRule<T>(rule: Record<string, unknown>, body: (rule: RuleAnswer) => Promise<T>, base = mockErrorUrl()): Promise<T> {
  const added = await addRule(rule, base);
  try {
    return await body(added);
  } finally {
    await deleteRule(added.id, base);
  }
}
