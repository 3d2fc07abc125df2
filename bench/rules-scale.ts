/**
 * Fault rules at scale: N rules (10,000 by default) added one POST at a time through
 * mock-error-service's API like any user's script. In order:
 * - RULES_IN_FLIGHT at once with nothing else running: how fast a rule set can be built;
 * - 4 KiB GETs at c16 with all of them in force, and workerd's RSS with them against its RSS
 *   before; AT_REST_ROUNDS runs with them alternate with runs with none (the rule set built
 *   again in batches of 1,000 between), as one run to the next varies by ±15 % on a
 *   saturated workerd whatever the rules;
 * - with the rules deleted, the N rules added again one after another (a plain loop, as the
 *   issue measured it) in SLICES slices, with GETs at GETS_IN_FLIGHT beside each slice and
 *   with nothing beside just before it: what adding rules does to S3 traffic, each slice
 *   against a quiet run of its own (the quiet p50 alone moves by half from one minute to the
 *   next on this kind of machine);
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
/** the one-by-one adds' slices, each after a quiet GET run */
const SLICES = 5;
/** GET runs with the rules in force, each between two with none */
const AT_REST_ROUNDS = 3;
const BATCH = 1_000;
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
  /** the rules added: scaleRule(from) … scaleRule(to - 1) */
  from: number;
  to: number;
  /** seconds to add them all, or undefined when adding failed */
  seconds?: number;
  error?: string;
  gets?: LoadResult;
}

export interface RulesScaleResult {
  rules: number;
  /** RULES_IN_FLIGHT at once, nothing beside */
  alone: AddRound;
  /** one at a time in slices, GETs beside each, and GETs with nothing beside before each */
  oneByOne: Array<{ quiet: LoadResult; adds: AddRound }>;
  /** RULES_IN_FLIGHT at once, GETs beside */
  saturating: AddRound;
  /** GETs at c16 with no rule and with all of them, alternating: none, with, none, …, none */
  none: LoadResult[];
  withRules: LoadResult[];
  workerdIdleBytes: number;
  workerdWithRulesBytes: number;
}

export async function runRulesScale(target: Target, pool: ObjectPool, plan: RulesScalePlan, progress: (line: string) => void): Promise<RulesScaleResult> {
  const api = target.server.urls.faultApi;
  if (!api) throw new Error(`${target.name} announces no fault API`);
  const load = (concurrency: number, extra: { until?: Promise<unknown>; durationMs?: number } = {}) =>
    runLoad({ target, mix: singleOperation("get"), concurrency, pool, client: plan.client, warmupMs: extra.until ? 0 : plan.warmupMs, durationMs: plan.durationMs, ...extra });
  /** Adds rules from … to (all by default) `inFlight` at a time, with GETs beside when `withGets`; every rule deleted afterwards unless `keep`. */
  const round = async (inFlight: number, { withGets = false, keep = false, from = 0, to = plan.rules } = {}): Promise<AddRound> => {
    const started = performance.now();
    const adding = addRules(api, from, to, inFlight);
    const beside = withGets ? await load(GETS_IN_FLIGHT, { until: adding, durationMs: ADD_LIMIT_MS }) : undefined;
    const error = await adding.then(
      () => undefined,
      (e: Error) => e.message,
    );
    const seconds = (performance.now() - started) / 1000;
    progress(`rules: ${to - from} added ${inFlight} at a time in ${error ? `— (${error})` : `${seconds.toFixed(1)} s`}${beside ? `; GET p50 ${beside.latency.p50Ms.toFixed(2)} ms meanwhile` : ""}`);
    if (!keep) await clearRules(api);
    return { inFlight, from, to, ...(error ? { error } : { seconds }), ...(beside ? { gets: beside } : {}) };
  };
  await clearRules(api);
  const workerdIdleBytes = workerdRss(target);
  const none = [await load(GOAL_CONCURRENCY)];
  const alone = await round(RULES_IN_FLIGHT, { keep: true });
  const withRules: LoadResult[] = [];
  let workerdWithRulesBytes = 0;
  for (let i = 0; i < AT_REST_ROUNDS; i++) {
    if (i > 0) await addBatches(api, plan.rules);
    withRules.push(await load(GOAL_CONCURRENCY));
    if (i === 0) workerdWithRulesBytes = workerdRss(target);
    await clearRules(api);
    none.push(await load(GOAL_CONCURRENCY));
  }
  const rates = (runs: LoadResult[]) => runs.map((r) => r.opsPerSecond.toFixed(0)).join(", ");
  progress(`rules: GET c${GOAL_CONCURRENCY} ${rates(none)}/s none, ${rates(withRules)}/s with ${plan.rules}`);
  const oneByOne: RulesScaleResult["oneByOne"] = [];
  for (let slice = 0; slice < SLICES; slice++) {
    const quiet = await load(GETS_IN_FLIGHT);
    progress(`rules: GET p50 ${quiet.latency.p50Ms.toFixed(2)} ms at c${GETS_IN_FLIGHT} with nothing beside`);
    const [from, to] = [slice, slice + 1].map((s) => Math.round((plan.rules * s) / SLICES)) as [number, number];
    const adds = await round(1, { withGets: true, keep: slice < SLICES - 1, from, to });
    oneByOne.push({ quiet, adds });
    if (adds.error) {
      await clearRules(api);
      break;
    }
  }
  const saturating = await round(RULES_IN_FLIGHT, { withGets: true });
  return { rules: plan.rules, alone, oneByOne, saturating, none, withRules, workerdIdleBytes, workerdWithRulesBytes };
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

async function addRules(api: string, from: number, to: number, inFlight: number): Promise<void> {
  let next = from;
  const worker = async () => {
    for (let i = next++; i < to; i = next++) {
      await addRule(api, scaleRule(i));
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** The same rule set, BATCH rules per POST: the GETs' comparison needs the rules, not the adds' timing. */
async function addBatches(api: string, count: number): Promise<void> {
  for (let first = 0; first < count; first += BATCH) {
    await addRule(
      api,
      Array.from({ length: Math.min(BATCH, count - first) }, (_, i) => scaleRule(first + i)),
    );
  }
}

function workerdRss(target: Target): number {
  return rssByExecutable(processTree(target.server.pid)).workerd ?? 0;
}
