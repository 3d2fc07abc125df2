/**
 * `/api/v1/halt` (the running experiment aborted and rolled back, every rule off, in force everywhere before the answer; in-flight delays,
 * holds and throttles end; every metric anomaly cancelled, its resources released, every
 * service state cleared), `/api/v1/reset` (stats and events cleared, every rule's counts and
 * seeded draws start over) and `/api/v1/seed` (the global seed of rules without one).
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { anomalySidecar } from "./anomaly-sidecar";
import { pushRules, rulesStore } from "./broadcast";
import { badRequest, jsonBody } from "../../../shared/json-body";

export const controlApi = new Hono<{ Bindings: MockErrorEnv }>();

controlApi.post("/halt", async (c) => {
  // first the experiment, whose next step would otherwise put faults back
  const experiment = await c.env.EXPERIMENTS.getByName("experiments").abortRunning("halted (POST /api/v1/halt)");
  const [halted, anomalies] = await Promise.all([haltRules(c.env), haltAnomalies(c.env)]);
  // services an anomaly took down (or filled) come back even if the sidecar was unreachable
  await rulesStore(c.env).clearState();
  await pushRules(c.env);
  return c.json({ halted_rules: halted, ...anomalies, halted_experiment: experiment });
});

async function haltRules(env: MockErrorEnv): Promise<number> {
  const halted = await rulesStore(env).halt();
  await pushRules(env);
  return halted;
}

/** A sidecar that cannot be reached runs nothing this service started; halt still succeeds and says so. */
async function haltAnomalies(env: MockErrorEnv): Promise<{ halted_anomalies: number | null; anomalies_error?: string }> {
  try {
    return await anomalySidecar(env).halt();
  } catch (error) {
    const answer =
      error instanceof HTTPException
        ? ((await error
            .getResponse()
            .json()
            .catch(() => ({}))) as { reason?: string })
        : {};
    return { halted_anomalies: null, anomalies_error: answer.reason ?? String(error) };
  }
}

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
