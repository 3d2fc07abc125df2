/**
 * `/api/v1/rules`: the seed's create and list, plus get, replace (PUT), patch (PATCH: any
 * subset of fields, e.g. `{"enabled": false}`), enable/disable and delete. Every write is
 * checked whole (shared/faults/rule.ts) and refused with 400 and the reason when it fails;
 * an accepted change is pushed to every service before the answer.
 */
import { Hono } from "hono";
import { checkRule, type Rule } from "../../../shared/faults/rule";
import { pushRules, rulesStore } from "./broadcast";
import { badRequest, jsonBody, notFound } from "../../../shared/json-body";

export const rulesApi = new Hono<{ Bindings: MockErrorEnv }>();

rulesApi.get("/", async (c) => {
  const rules = await rulesStore(c.env).list();
  return c.json({ rules, total: rules.length });
});

rulesApi.post("/", async (c) => {
  const draft = checked(await jsonBody(c));
  const rule = await rulesStore(c.env).create(draft);
  await pushRules(c.env);
  return c.json(rule, 201);
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

for (const [verb, enabled] of [["enable", true], ["disable", false]] as const) {
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

function checked(input: unknown) {
  const check = checkRule(input);
  if (!check.ok) throw badRequest(check.reason);
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
