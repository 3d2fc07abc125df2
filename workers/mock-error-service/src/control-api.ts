/**
 * `/api/v1/halt` (every rule off, in force everywhere before the answer; in-flight delays,
 * holds and throttles end), `/api/v1/reset` (stats and events cleared, every rule's counts
 * and seeded draws start over) and `/api/v1/seed` (the global seed of rules without one).
 */
import { Hono } from "hono";
import { pushRules, rulesStore } from "./broadcast";
import { badRequest, jsonBody } from "./json-body";

export const controlApi = new Hono<{ Bindings: MockErrorEnv }>();

controlApi.post("/halt", async (c) => {
  const halted = await rulesStore(c.env).halt();
  await pushRules(c.env);
  return c.json({ halted_rules: halted });
});

controlApi.post("/reset", async (c) => {
  const ruleset = await rulesStore(c.env).reset();
  await pushRules(c.env);
  return c.json({ reset: true, epoch: ruleset.epoch });
});

controlApi.get("/seed", async (c) => c.json({ seed: (await rulesStore(c.env).snapshot())!.seed }));

controlApi.put("/seed", async (c) => {
  const body = (await jsonBody(c)) as { seed?: unknown };
  const seed = body?.seed;
  if (seed !== null && !(Number.isInteger(seed) && (seed as number) >= 0 && (seed as number) < 2 ** 32)) throw badRequest("seed must be an integer from 0 to 4294967295, or null");
  const ruleset = await rulesStore(c.env).setSeed(seed as number | null);
  await pushRules(c.env);
  return c.json({ seed: ruleset.seed });
});
