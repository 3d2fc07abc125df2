/**
 * `/api/v1/rules`: the seed's create and list, plus get, replace (PUT), patch (PATCH: any
 * subset of fields, e.g. `{"enabled": false}`), enable/disable, delete, and delete all.
 * POST takes one rule or an array of them (all created, or none). Every write is checked
 * whole (shared/faults/rule.ts) and refused with 400 and the reason when it fails, as is a
 * rule beyond MOCKS3_MAX_RULES; an accepted change is in force at every service before the
 * answer.
 */
import { Hono } from "hono";
import { checkRule, type Rule } from "../../../shared/faults/rule";
import { badRequest, jsonBody, notFound } from "../../../shared/json-body";
import { pushCreated, pushRules, rulesStore } from "./broadcast";
import { maxRules } from "./rules-limit";

/** Rules one POST may create. */
const MAX_BATCH = 1_000;

export const rulesApi = new Hono<{ Bindings: MockErrorEnv }>();

rulesApi.get("/", async (c) => {
  const rules = await rulesStore(c.env).list();
  return c.json({ rules, total: rules.length });
});

rulesApi.post("/", async (c) => {
  const body = await jsonBody(c);
  const batch = Array.isArray(body);
  const inputs = batch ? body : [body];
  if (batch && (inputs.length === 0 || inputs.length > MAX_BATCH)) throw badRequest(`an array of rules holds 1 to ${MAX_BATCH} rules, not ${inputs.length}`);
  const drafts = inputs.map((input, i) => checked(input, batch ? `rule ${i}: ` : ""));
  const limit = maxRules(c.env);
  const created = await rulesStore(c.env).create(drafts, limit);
  if ("limit" in created) throw badRequest(`the store holds at most ${limit} rules (MOCKS3_MAX_RULES); delete some first`);
  await pushCreated(c.env, created.change);
  return batch ? c.json({ rules: created.rules, total: created.rules.length }, 201) : c.json(created.rules[0], 201);
});

rulesApi.delete("/", async (c) => {
  const deleted = await rulesStore(c.env).removeAll();
  await pushRules(c.env);
  return c.json({ deleted });
});

rulesApi.get("/:id", async (c) => c.json(await existing(c.env, c.req.param("id"))));

rulesApi.put("/:id", async (c) => {
  const id = c.req.param("id");
  await existing(c.env, id);
  return c.json(await replace(c.env, id, checked(await jsonBody(c))));
});

rulesApi.patch("/:id", async (c) => {
  const id = c.req.param("id");
  const rule = await existing(c.env, id);
  const patch = await jsonBody(c);
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) throw badRequest("a patch is a JSON object of the fields to change");
  return c.json(await replace(c.env, id, checked({ ...rule, ...patch })));
});

for (const [verb, enabled] of [
  ["enable", true],
  ["disable", false],
] as const) {
  rulesApi.post(`/:id/${verb}`, async (c) => {
    const id = c.req.param("id");
    const rule = await existing(c.env, id);
    return c.json(await replace(c.env, id, checked({ ...rule, enabled })));
  });
}

rulesApi.delete("/:id", async (c) => {
  if (!(await rulesStore(c.env).remove(c.req.param("id")))) throw notFound(`rule ${c.req.param("id")}`);
  await pushRules(c.env);
  return c.body(null, 204);
});

function checked(input: unknown, where = "") {
  const check = checkRule(input);
  if (!check.ok) throw badRequest(where + check.reason);
  return check.rule;
}

async function existing(env: MockErrorEnv, id: string): Promise<Rule> {
  const rule = await rulesStore(env).get(id);
  if (!rule) throw notFound(`rule ${id}`);
  return rule as Rule;
}

async function replace(env: MockErrorEnv, id: string, draft: ReturnType<typeof checked>): Promise<Rule> {
  const rule = await rulesStore(env).replace(id, draft);
  if (!rule) throw notFound(`rule ${id}`);
  await pushRules(env);
  return rule as Rule;
}
