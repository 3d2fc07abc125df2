/**
 * `/_localstack/chaos/faults` and `/_localstack/chaos/effects`: LocalStack's chaos API, so
 * that tests written for LocalStack's S3 run unchanged against MockS3. The gateway forwards
 * these paths from the S3 port; they are served here too. Every answer is the resulting
 * state as LocalStack gives it: the list of entries, or `{"latency": ms}`.
 *
 * - faults: GET the list; POST replaces it (`[]` clears it); PATCH appends to it; DELETE
 *   removes the entries equal to one it is given. Only LocalStack's rules are touched
 *   (localstack-entries.ts): other rules in the store stay as they are.
 * - effects: GET; POST `{"latency": ms}` sets the delay of every S3 request (0 removes it).
 *
 * The rules are written through the rule store as `/api/v1/rules` writes them (broadcast.ts),
 * so they are in force at the gateway before the answer. A write is several store calls, not
 * one transaction: two clients rewriting the list at once may interleave.
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
  await rewrite(c.env, await storedFaults(c.env), entries);
  return c.json(await listEntries(c.env));
});

localstackChaosApi.patch("/faults", async (c) => {
  const entries = parsed(parseEntries(await jsonBody(c)));
  const stored = await storedFaults(c.env);
  if (stored.length + entries.length > MAX_ENTRIES) throw badRequest(`the list holds at most ${MAX_ENTRIES} entries; it has ${stored.length}`);
  const next = Math.max(-1, ...stored.map((rule) => faultNumber(rule)!)) + 1;
  if (next + entries.length - 1 > LAST_NUMBER) {
    // numbered to the end: the whole list again, from 0
    await rewrite(c.env, stored, [...stored.map(entryOf), ...entries]);
  } else {
    await create(
      c.env,
      entries.map((entry, i) => faultRule(entry, next + i, region(c.env))),
    );
    await pushRules(c.env);
  }
  return c.json(await listEntries(c.env));
});

localstackChaosApi.delete("/faults", async (c) => {
  const given = parsed(parseEntries(await jsonBody(c)));
  const doomed = (await storedFaults(c.env)).filter((rule) => given.some((entry) => sameEntry(entry, entryOf(rule))));
  await remove(c.env, doomed);
  return c.json(await listEntries(c.env));
});

localstackChaosApi.get("/effects", async (c) => c.json({ latency: latencyOf(latencyRule(await rulesStore(c.env).list())) }));

localstackChaosApi.post("/effects", async (c) => {
  const { latency } = parsed(parseEffects(await jsonBody(c)));
  const existing = latencyRule(await rulesStore(c.env).list());
  if (latency === 0) {
    if (existing) await remove(c.env, [existing]);
  } else if (existing) {
    await rulesStore(c.env).replace(existing.id, checked(latencyDraft(latency)));
    await pushRules(c.env);
  } else {
    await create(c.env, [latencyDraft(latency)]);
    await pushRules(c.env);
  }
  return c.json({ latency });
});

async function listEntries(env: MockErrorEnv): Promise<FaultEntry[]> {
  return (await storedFaults(env)).map(entryOf);
}

async function storedFaults(env: MockErrorEnv): Promise<Rule[]> {
  return faultRules((await rulesStore(env).list()) as Rule[]);
}

/** LocalStack's list becomes `entries`, numbered from 0; the store's other rules stay. */
async function rewrite(env: MockErrorEnv, stored: Rule[], entries: FaultEntry[]): Promise<void> {
  // checked before anything is removed: a refused list leaves the old one in force
  const drafts = entries.map((entry, n) => checked(faultRule(entry, n, region(env))));
  for (const rule of stored) await rulesStore(env).remove(rule.id);
  await create(env, drafts);
  await pushRules(env);
}

async function remove(env: MockErrorEnv, rules: Rule[]): Promise<void> {
  if (rules.length === 0) return;
  for (const rule of rules) await rulesStore(env).remove(rule.id);
  await pushRules(env);
}

/** Creates the rules, each checked as /api/v1/rules checks them; refused past MOCKS3_MAX_RULES. */
async function create(env: MockErrorEnv, drafts: RuleDraft[]): Promise<void> {
  if (drafts.length === 0) return;
  const limit = maxRules(env);
  const created = await rulesStore(env).create(drafts.map(checked), limit);
  if ("limit" in created) throw badRequest(`the store holds at most ${limit} rules (MOCKS3_MAX_RULES); delete some first`);
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
