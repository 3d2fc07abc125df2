/**
 * The fault engine's cost: small-object GETs at c16 through the front door with no rule,
 * with many rules that never match (other buckets, keys, headers, query parameters, user
 * agents, addresses, access keys, operations — on the gateway and on the services a GET
 * passes through, so every request's facts are gathered and every rule tested), and with
 * one matching 1 % http_error rule. Each is bracketed by no-rule runs and reported against
 * the mean of the two around it, so that a machine growing busier or quieter during the
 * case moves both sides of the ratio (the no-rule runs' spread shows how much it moved).
 *
 * The figure compared is answers per second: an injected 500 is a request the engine
 * answered, so it counts (the load generator reports it as an error, which it is for the
 * client). Rules are set through mock-error-service's API, like any user's.
 */
import { addRule, clearRules } from "./fault-api";
import { GOAL_CONCURRENCY } from "./goals";
import { runLoad, type LoadResult } from "./load-generator";
import type { ObjectPool } from "./object-pool";
import { singleOperation } from "./operation-mix";
import type { ClientKind } from "./http-client";
import { BUCKET, type Target } from "./targets/catalogue";

export interface FaultCase {
  label: string;
  rules: number;
  load: LoadResult;
  /** successful GETs and injected answers per second */
  answersPerSecond: number;
  /** answersPerSecond over the mean of the no-rule runs before and after it (for those, over all of them) */
  ratio: number;
}

export interface FaultResult {
  target: string;
  concurrency: number;
  nonMatchingRules: number;
  cases: FaultCase[];
}

export interface FaultPlan {
  nonMatchingRules: number;
  warmupMs: number;
  durationMs: number;
  client: ClientKind;
}

export async function runFaultCases(target: Target, pool: ObjectPool, plan: FaultPlan, progress: (line: string) => void): Promise<FaultResult> {
  const api = target.server.urls.faultApi;
  if (!api) throw new Error(`${target.name} announces no fault API`);
  const runs: Array<{ label: string; rules: number; load: LoadResult }> = [];
  const measure = async (label: string, rules: number) => {
    const load = await runLoad({ target, mix: singleOperation("get"), concurrency: GOAL_CONCURRENCY, pool, client: plan.client, warmupMs: plan.warmupMs, durationMs: plan.durationMs });
    runs.push({ label, rules, load });
    progress(`faults: ${label}: ${answers(load).toFixed(0)} answers/s${load.errors > 0 ? ` (${load.errors} injected or failed)` : ""}`);
  };
  try {
    await clearRules(api);
    await measure("no rules", 0);
    for (let i = 0; i < plan.nonMatchingRules; i++) await addRule(api, nonMatchingRule(i));
    await measure(`${plan.nonMatchingRules} non-matching rules`, plan.nonMatchingRules);
    await clearRules(api);
    await measure("no rules", 0);
    await addRule(api, {
      name: "bench 1 % errors",
      service: "gateway",
      conditions: [
        { type: "bucket", value: BUCKET },
        { type: "probability", value: 0.01 },
      ],
      action: { type: "http_error", http_code: 500 },
    });
    await measure("one matching 1 % http_error rule", 1);
    await clearRules(api);
    await measure("no rules", 0);
  } finally {
    await clearRules(api).catch(() => undefined);
  }
  const mean = (list: typeof runs) => list.reduce((sum, r) => sum + answers(r.load), 0) / list.length;
  const baselines = runs.filter((r) => r.rules === 0);
  return {
    target: target.name,
    concurrency: GOAL_CONCURRENCY,
    nonMatchingRules: plan.nonMatchingRules,
    cases: runs.map((r, i) => ({ ...r, answersPerSecond: answers(r.load), ratio: answers(r.load) / (r.rules === 0 ? mean(baselines) : mean([runs[i - 1]!, runs[i + 1]!])) })),
  };
}

function answers(load: LoadResult): number {
  return (load.ops + load.errors) / load.seconds;
}

/** Rule `i` of the non-matching set: a mix of condition types, none true of the bench's GETs. */
function nonMatchingRule(i: number): Record<string, unknown> {
  const conditions = [
    [{ type: "bucket", value: `other-bucket-${i}` }],
    [
      { type: "bucket", value: `archive-*-${i}` },
      { type: "probability", value: 0.5 },
    ],
    [{ type: "key", prefix: `never/${i}/` }],
    [
      { type: "key", regex: `^nothing-${i}-[0-9]+$` },
      { type: "method", value: "GET" },
    ],
    [{ type: "header", name: `x-chaos-${i}`, present: true }],
    [{ type: "query", name: `chaos${i}`, equals: "1" }],
    [{ type: "user_agent", contains: `chaos-agent-${i}` }],
    [
      { type: "bucket", value: BUCKET },
      { type: "operation", value: ["PutObject", "DeleteObject"] },
    ],
    [
      { type: "source", value: "203.0.113.0/24" },
      { type: "every_nth", value: 3 },
    ],
    [{ type: "access_key", value: `AKIANOBODY${i}` }],
  ][i % 10];
  const service = ["gateway", "gateway", "metadata-service", "storage-service"][i % 4];
  const action = i % 3 === 0 ? { type: "delay", delay: "1s" } : { type: "http_error", http_code: 500 };
  return { name: `bench non-matching ${i}`, service, conditions, action };
}
