/**
 * Fault rules at scale: N rules (10,000 by default) added one POST at a time, RULES_IN_FLIGHT
 * at once, through mock-error-service's API like any user's script — while GETs run beside
 * them at GETS_IN_FLIGHT, so the case shows what adding rules does to S3 traffic. Then 4 KiB
 * GETs at c16 with all of them in force, bracketed by runs with none, and workerd's RSS with
 * them against its RSS before. The rules are for other buckets and other operations, as a
 * big rule set mostly is: none matches the bench's GETs.
 */
import { addRule, clearRules } from "./fault-api";
import { GOAL_CONCURRENCY } from "./goals";
import { runLoad, type LoadResult } from "./load-generator";
import type { ObjectPool } from "./object-pool";
import { singleOperation } from "./operation-mix";
import type { ClientKind } from "./http-client";
import { processTree, rssByExecutable } from "./proc-tree";
import type { Target } from "./targets/catalogue";

const RULES_IN_FLIGHT = 8;
const GETS_IN_FLIGHT = 4;
/** the longest the adds may take before the case gives up */
const ADD_LIMIT_MS = 300_000;

export interface RulesScalePlan {
  rules: number;
  warmupMs: number;
  durationMs: number;
  client: ClientKind;
}

export interface RulesScaleResult {
  rules: number;
  inFlight: number;
  /** seconds to add them all, or undefined when adding failed */
  addSeconds?: number;
  error?: string;
  /** GETs at GETS_IN_FLIGHT before and while the rules were added */
  quietGets: LoadResult;
  getsWhileAdding: LoadResult;
  /** GETs at c16: none, all rules, none */
  before: LoadResult;
  withRules: LoadResult;
  after: LoadResult;
  workerdIdleBytes: number;
  workerdWithRulesBytes: number;
}

export async function runRulesScale(target: Target, pool: ObjectPool, plan: RulesScalePlan, progress: (line: string) => void): Promise<RulesScaleResult> {
  const api = target.server.urls.faultApi;
  if (!api) throw new Error(`${target.name} announces no fault API`);
  const load = (concurrency: number, extra: { until?: Promise<unknown>; durationMs?: number } = {}) =>
    runLoad({ target, mix: singleOperation("get"), concurrency, pool, client: plan.client, warmupMs: extra.until ? 0 : plan.warmupMs, durationMs: plan.durationMs, ...extra });
  await clearRules(api);
  const workerdIdleBytes = workerdRss(target);
  const before = await load(GOAL_CONCURRENCY);
  const quietGets = await load(GETS_IN_FLIGHT);
  const started = performance.now();
  const adding = addRules(api, plan.rules);
  const getsWhileAdding = await load(GETS_IN_FLIGHT, { until: adding, durationMs: ADD_LIMIT_MS });
  const error = await adding.then(
    () => undefined,
    (e: Error) => e.message,
  );
  const addSeconds = error ? undefined : (performance.now() - started) / 1000;
  progress(
    `rules: ${plan.rules} added in ${addSeconds?.toFixed(1) ?? "—"} s${error ? ` (${error})` : ""}; GET p50 ${getsWhileAdding.latency.p50Ms.toFixed(2)} ms meanwhile, ${quietGets.latency.p50Ms.toFixed(2)} ms before`,
  );
  const withRules = await load(GOAL_CONCURRENCY);
  const workerdWithRulesBytes = workerdRss(target);
  await clearRules(api);
  const after = await load(GOAL_CONCURRENCY);
  progress(`rules: GET c${GOAL_CONCURRENCY} ${before.opsPerSecond.toFixed(0)}/s none, ${withRules.opsPerSecond.toFixed(0)}/s with ${plan.rules}, ${after.opsPerSecond.toFixed(0)}/s none`);
  return {
    rules: plan.rules,
    inFlight: RULES_IN_FLIGHT,
    ...(addSeconds === undefined ? {} : { addSeconds }),
    ...(error ? { error } : {}),
    quietGets,
    getsWhileAdding,
    before,
    withRules,
    after,
    workerdIdleBytes,
    workerdWithRulesBytes,
  };
}

/** Rule `i`: for a bucket the bench never uses, or (every 10th) for operations its GETs are not. */
export function scaleRule(i: number): Record<string, unknown> {
  const service = ["gateway", "gateway", "metadata-service", "storage-service"][i % 4];
  const conditions =
    i % 10 === 9
      ? [
          { type: "operation", value: ["PutObject", "DeleteObject"] },
          { type: "key", prefix: `scale/${i}/` },
        ]
      : [
          { type: "bucket", value: `scale-bucket-${i}` },
          { type: "probability", value: 0.5 },
        ];
  return { name: `bench scale ${i}`, service, conditions, action: { type: "http_error", http_code: 503 } };
}

async function addRules(api: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await addRule(api, scaleRule(i));
    }
  };
  await Promise.all(Array.from({ length: RULES_IN_FLIGHT }, worker));
}

function workerdRss(target: Target): number {
  return rssByExecutable(processTree(target.server.pid)).workerd ?? 0;
}
