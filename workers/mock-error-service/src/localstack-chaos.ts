/**
 * `/_localstack/chaos/faults` and `/_localstack/chaos/effects`: LocalStack's chaos API, so
 * that tests written for LocalStack's S3 run unchanged against MockS3. The gateway forwards
 * these paths from the S3 port; they are served here too. Every answer is the resulting
 * state as LocalStack gives it: the list of entries, or `{"latency": ms}`.
 *
 * - faults: GET the list; POST replaces it (`[]` clears it); PATCH appends to it; DELETE
 *   removes the entries equal to one it is given. Only LocalStack's rules are touched
 *   (localstack-entries.ts): other rules in the store stay as they are.
 * - effects: GET; POST `{"latency": ms}` sets the delay of every S3 request (0 removes it),
 *   the failed ones included: the fault entries' rules are rewritten with it, in the same step.
 *
 * The rules are written through the rule store as `/api/v1/rules` writes them (broadcast.ts),
 * so they are in force at the gateway before the answer. Each write is one step of the store
 * (its `swap`): the list is replaced whole, never seen half-written, even by two clients at once.
 */
import { Hono } from "hono";
import { checkRule, type Rule } from "../../../shared/faults/rule";
import { badRequest, jsonBody } from "../../../shared/json-body";
import { pushRules, rulesStore } from "./broadcast";
import {
  entryOf,
  faultNumber,
  faultRule,
  faultRules,
  FAULT_NAME_PREFIX,
  LAST_NUMBER,
  latencyDraft,
  latencyOf,
  latencyRule,
  MAX_ENTRIES,
  parseEffects,
  parseEntries,
  sameEntry,
  type FaultEntry,
  type Parsed,
  type RuleDraft,
} from "./localstack-entries";
import { maxRules } from "./rules-limit";

export const localstackChaosApi = new Hono<{ Bindings: MockErrorEnv }>();

localstackChaosApi.get("/faults", async (c) => c.json(await listEntries(c.env)));

localstackChaosApi.post("/faults", async (c) => {
  const entries = parsed(parseEntries(await jsonBody(c)));
  await rewrite(c.env, entries);
  return c.json(await listEntries(c.env));
});

localstackChaosApi.patch("/faults", async (c) => {
  const entries = parsed(parseEntries(await jsonBody(c)));
  const stored = await storedFaults(c.env);
  if (stored.length + entries.length > MAX_ENTRIES) throw badRequest(`the list holds at most ${MAX_ENTRIES} entries; it has ${stored.length}`);
  const next = Math.max(-1, ...stored.map((rule) => faultNumber(rule)!)) + 1;
  if (next + entries.length - 1 > LAST_NUMBER) {
    // numbered to the end: the whole list again, from 0
    await rewrite(c.env, [...stored.map(entryOf), ...entries]);
  } else {
    const latency = await currentLatency(c.env);
    await create(
      c.env,
      entries.map((entry, i) => faultRule(entry, next + i, region(c.env), latency)),
    );
  }
  return c.json(await listEntries(c.env));
});

localstackChaosApi.delete("/faults", async (c) => {
  const given = parsed(parseEntries(await jsonBody(c)));
  const doomed = (await storedFaults(c.env)).filter((rule) => given.some((entry) => sameEntry(entry, entryOf(rule))));
  await remove(c.env, doomed);
  return c.json(await listEntries(c.env));
});

localstackChaosApi.get("/effects", async (c) => c.json({ latency: await currentLatency(c.env) }));

localstackChaosApi.post("/effects", async (c) => {
  const { latency } = parsed(parseEffects(await jsonBody(c)));
  const rules = (await rulesStore(c.env).list()) as Rule[];
  const existing = latencyRule(rules);
  // the latency rule and every fault entry's rule, replaced together
  const faults = faultRules(rules).map((rule) => ({ ...faultRule(entryOf(rule), faultNumber(rule)!, region(c.env), latency), enabled: rule.enabled }));
  await swap(c.env, { ids: existing ? [existing.id] : [], namePrefix: FAULT_NAME_PREFIX }, [...faults, ...(latency > 0 ? [latencyDraft(latency)] : [])]);
  return c.json({ latency });
});

async function listEntries(env: MockErrorEnv): Promise<FaultEntry[]> {
  return (await storedFaults(env)).map(entryOf);
}

async function storedFaults(env: MockErrorEnv): Promise<Rule[]> {
  return faultRules((await rulesStore(env).list()) as Rule[]);
}

/** LocalStack's list becomes `entries`, numbered from 0, whatever it held meanwhile; the store's other rules stay. */
async function rewrite(env: MockErrorEnv, entries: FaultEntry[]): Promise<void> {
  const latency = await currentLatency(env);
  await swap(
    env,
    { namePrefix: FAULT_NAME_PREFIX },
    entries.map((entry, n) => faultRule(entry, n, region(env), latency)),
  );
}

/** The latency effect in force (ms), which the fault entries' errors wait too. */
async function currentLatency(env: MockErrorEnv): Promise<number> {
  return latencyOf(latencyRule((await rulesStore(env).list()) as Rule[]));
}

async function remove(env: MockErrorEnv, rules: Rule[]): Promise<void> {
  if (rules.length > 0) await swap(env, { ids: rules.map((rule) => rule.id) }, []);
}

async function create(env: MockErrorEnv, drafts: RuleDraft[]): Promise<void> {
  if (drafts.length > 0) await swap(env, {}, drafts);
}

/**
 * Removes `old` and creates `drafts` (each checked as /api/v1/rules checks them, before
 * anything changes) in one step of the store, then puts the result in force; refused past
 * MOCKS3_MAX_RULES.
 */
async function swap(env: MockErrorEnv, old: { ids?: string[]; namePrefix?: string }, drafts: RuleDraft[]): Promise<void> {
  const checkedDrafts = drafts.map(checked);
  const limit = maxRules(env);
  const swapped = await rulesStore(env).swap(old, checkedDrafts, limit);
  if ("limit" in swapped) throw badRequest(`the store holds at most ${limit} rules (MOCKS3_MAX_RULES); delete some first`);
  await pushRules(env);
}

function checked(draft: RuleDraft): RuleDraft {
  const check = checkRule(draft);
  if (!check.ok) throw badRequest(`${draft.name}: ${check.reason}`);
  return check.rule;
}

/** The stack's one region; empty means us-east-1, as at the gateway (its config.ts). */
function region(env: MockErrorEnv): string {
  return env.MOCKS3_REGION || "us-east-1";
}

function parsed<T>(result: Parsed<T>): T {
  if (!result.ok) throw badRequest(result.reason);
  return result.value;
}
