/**
 * Fault rules at scale: N rules (10,000 by default) added one POST at a time through
 * mock-error-service's API like any user's script. In order:
 * - RULES_IN_FLIGHT at once with nothing else running: how fast a rule set can be built;
 * - 4 KiB GETs at c16 with all of them in force, bracketed by runs with none, and workerd's
 *   RSS with them against its RSS before;
 * - with the rules deleted, GETs at GETS_IN_FLIGHT with nothing beside, then beside the N
 *   rules added again one after another (a plain loop, as the issue measured it): what
 *   adding rules does to S3 traffic;
 * - the same beside RULES_IN_FLIGHT at once, reported: no single-threaded server keeps a
 *   saturating client on the same thread from slowing its neighbours.
 * The rules are for other buckets and other operations, as a big rule set mostly is: none
 * matches the bench's GETs.
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

/** One round of adds, with the GETs that ran beside it (if any). */
export interface AddRound {
  inFlight: number;
  /** seconds to add them all, or undefined when adding failed */
  seconds?: number;
  error?: string;
  gets?: LoadResult;
}

export interface RulesScaleResult {
  rules: number;
  /** RULES_IN_FLIGHT at once, nothing beside */
  alone: AddRound;
  /** one at a time, GETs beside */
  oneByOne: AddRound;
  /** RULES_IN_FLIGHT at once, GETs beside */
  saturating: AddRound;
  /** GETs at GETS_IN_FLIGHT with no rule and nothing else running */
  quietGets: LoadResult;
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
  /** Adds the rules `inFlight` at a time, with GETs beside when `withGets`; every rule deleted afterwards unless `keep`. */
  const round = async (inFlight: number, { withGets = false, keep = false } = {}): Promise<AddRound> => {
    const started = performance.now();
    const adding = addRules(api, plan.rules, inFlight);
    const beside = withGets ? await load(GETS_IN_FLIGHT, { until: adding, durationMs: ADD_LIMIT_MS }) : undefined;
    const error = await adding.then(
      () => undefined,
      (e: Error) => e.message,
    );
    const seconds = (performance.now() - started) / 1000;
    progress(`rules: ${plan.rules} added ${inFlight} at a time in ${error ? `— (${error})` : `${seconds.toFixed(1)} s`}${beside ? `; GET p50 ${beside.latency.p50Ms.toFixed(2)} ms meanwhile` : ""}`);
    if (!keep) await clearRules(api);
    return { inFlight, ...(error ? { error } : { seconds }), ...(beside ? { gets: beside } : {}) };
  };
  await clearRules(api);
  const workerdIdleBytes = workerdRss(target);
  const before = await load(GOAL_CONCURRENCY);
  const alone = await round(RULES_IN_FLIGHT, { keep: true });
  const withRules = await load(GOAL_CONCURRENCY);
  const workerdWithRulesBytes = workerdRss(target);
  await clearRules(api);
  const after = await load(GOAL_CONCURRENCY);
  progress(`rules: GET c${GOAL_CONCURRENCY} ${before.opsPerSecond.toFixed(0)}/s none, ${withRules.opsPerSecond.toFixed(0)}/s with ${plan.rules}, ${after.opsPerSecond.toFixed(0)}/s none`);
  const quietGets = await load(GETS_IN_FLIGHT);
  progress(`rules: GET p50 ${quietGets.latency.p50Ms.toFixed(2)} ms at c${GETS_IN_FLIGHT} with nothing beside`);
  const oneByOne = await round(1, { withGets: true });
  const saturating = await round(RULES_IN_FLIGHT, { withGets: true });
  return { rules: plan.rules, alone, oneByOne, saturating, quietGets, before, withRules, after, workerdIdleBytes, workerdWithRulesBytes };
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

async function addRules(api: string, count: number, inFlight: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      await addRule(api, scaleRule(i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

function workerdRss(target: Target): number {
  return rssByExecutable(processTree(target.server.pid)).workerd ?? 0;
}
