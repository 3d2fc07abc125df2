/**
 * The sidecar's HTTP API (loopback, MOCKS3_ANOMALY_PORT). mock-error-service forwards the
 * seed's `/api/v1/metric-anomaly` here; Prometheus scrapes `/metrics`.
 *
 *   POST   /anomalies              create (checked, capped) → 201 the anomaly
 *   GET    /anomalies              { anomalies, total }
 *   GET    /anomalies/:id          one anomaly, with its state and latest measurement
 *   DELETE /anomalies/:id          cancel; answers once what it held is released
 *   POST   /anomalies/:id/enable   start a pending one
 *   POST   /halt                   cancel every anomaly → { halted_anomalies }
 *   GET    /health, GET /metrics    (open; everything else is guarded: shared/control/guard.ts)
 *   /index/*, /live, /traffic      the search index (search-index/api.ts), the console's feed (live-feed.ts)
 *   POST   /window                 the experiments' samples of the services' traffic (window-api.ts)
 *
 * Refusals are `{"error": "bad_request" | "not_found" | "conflict", "reason": …}`.
 */
import { Hono } from "hono";
import type { Registry } from "prom-client";
import { controlGuard } from "../../shared/control/middleware";
import type { AnomalyRunner } from "./runner";
import { RunnerError } from "./runner";

export interface ApiOptions {
  runner: AnomalyRunner;
  registry: Registry;
  /** extra fields of /health, e.g. how the leftovers of an earlier run were cleaned */
  health(): Record<string, unknown>;
}

const startedAt = Date.now();

export function anomalyApi({ runner, registry, health }: ApiOptions): Hono {
  const app = new Hono();
  // everything but /health and /metrics is the control plane (shared/control/guard.ts)
  const guard = controlGuard(() => process.env);
  app.use("*", (c, next) => (c.req.path === "/health" || c.req.path === "/metrics" ? next() : guard(c, next)));
  app.get("/health", (c) => {
    const extra = health();
    return c.json({ status: "ok", service: "anomalies", pid: process.pid, uptime_seconds: Math.round((Date.now() - startedAt) / 1000), running: runner.running().length, ...extra });
  });
  app.get("/metrics", async (c) => c.body(await registry.metrics(), 200, { "content-type": registry.contentType }));
  app.post("/anomalies", async (c) => c.json(await runner.create(await jsonBody(c.req.raw)), 201));
  app.get("/anomalies", (c) => {
    const anomalies = runner.list();
    return c.json({ anomalies, total: anomalies.length });
  });
  app.get("/anomalies/:id", (c) => c.json(runner.get(c.req.param("id"))));
  app.delete("/anomalies/:id", async (c) => c.json(await runner.cancel(c.req.param("id"))));
  app.post("/anomalies/:id/enable", async (c) => c.json(await runner.enable(c.req.param("id"))));
  app.post("/halt", async (c) => c.json({ halted_anomalies: await runner.halt() }));
  app.notFound((c) => c.json({ error: "not_found", reason: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError(function renderError(error, c) {
    if (error instanceof RunnerError) return c.json({ error: error.code, reason: error.message }, error.status);
    console.error(JSON.stringify({ level: "error", msg: "anomalies API failed", error: String(error), stack: (error as Error).stack }));
    return c.json({ error: "internal", reason: "the anomalies sidecar failed; see its log" }, 500);
  });
  return app;
}

async function jsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new RunnerError(400, "bad_request", "the request has no JSON body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RunnerError(400, "bad_request", `the body is not valid JSON (${(error as Error).message})`);
  }
}
