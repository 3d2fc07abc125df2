/**
 * `/api/v1/experiments`: start one (the document as YAML or JSON — JSON is YAML, so any
 * content type but application/json is read as YAML; 400 with the reason when it does not
 * parse or check; 409 while another runs; `?dry_run=true` checks it and answers its planned
 * timeline, starting nothing), list them, read one, its HTML report, and abort
 * one (rolled back before the answer).
 */
import { Hono } from "hono";
import { parse as parseYaml } from "yaml";
import { checkExperiment } from "../../../../shared/experiments/document";
import { badRequest, conflict, notFound } from "../../../../shared/json-body";
import { experimentReport } from "./report-html";
import { planOf } from "./run-state";

/** the largest document taken */
const MAX_DOCUMENT_BYTES = 1_000_000;

export const experimentsApi = new Hono<{ Bindings: MockErrorEnv }>();

const experiments = (env: MockErrorEnv) => env.EXPERIMENTS.getByName("experiments");

experimentsApi.post("/", async (c) => {
  const text = await c.req.text();
  if (text.trim() === "") throw badRequest("the request has no body: send the experiment as YAML or JSON");
  if (text.length > MAX_DOCUMENT_BYTES) throw badRequest(`an experiment is at most ${MAX_DOCUMENT_BYTES} bytes`);
  const check = checkExperiment(documentOf(text, c.req.header("content-type") ?? ""));
  if (!check.ok) throw badRequest(check.reason);
  // a dry run: checked and planned, nothing started
  if (isTrue(c.req.query("dry_run"))) return c.json(planOf(check.experiment));
  const { started, running } = await experiments(c.env).start(check.experiment);
  if (!started) {
    const { id, name } = running as { id: string; name: string };
    throw conflict(`experiment ${id} (${name}) is running; abort it (POST /api/v1/experiments/${id}/abort) or wait for its end`);
  }
  return c.json(started, 201, { location: `/api/v1/experiments/${started.id}` });
});

experimentsApi.get("/", async (c) => {
  const list = await experiments(c.env).list();
  return c.json({ experiments: list, total: list.length });
});

experimentsApi.get("/:id", async (c) => c.json(await existing(c.env, c.req.param("id"))));

experimentsApi.get("/:id/report", async (c) => c.html(experimentReport(await existing(c.env, c.req.param("id")))));

for (const [method, path] of [
  ["post", "/:id/abort"],
  ["delete", "/:id"],
] as const) {
  experimentsApi[method](path, async (c) => {
    const result = await experiments(c.env).abort(c.req.param("id"));
    if (!result) throw notFound(`experiment ${c.req.param("id")}`);
    return c.json(result);
  });
}

async function existing(env: MockErrorEnv, id: string) {
  const result = await experiments(env).get(id);
  if (!result) throw notFound(`experiment ${id}`);
  return result;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && value !== "false" && value !== "0";
}

function documentOf(text: string, contentType: string): unknown {
  const json = contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
  try {
    return json ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw badRequest(`the experiment is not valid ${json ? "JSON" : "YAML"}: ${(error as Error).message.split("\n")[0]}`);
  }
}
