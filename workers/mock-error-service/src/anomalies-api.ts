/**
 * `/api/v1/metric-anomaly` (also `/api/v1/metric-anomalies`): the seed's create, plus list,
 * get (state and latest measurement), cancel (DELETE) and enable (start one written with
 * `enabled: false`). A body is checked whole here and refused with 400 and the reason; the
 * caps (duration refused, targets clamped) are the sidecar's, which carries anomalies out.
 */
import { Hono } from "hono";
import { checkAnomaly } from "../../../shared/anomalies/anomaly";
import { anomalySidecar } from "./anomaly-sidecar";
import { badRequest, jsonBody } from "../../../shared/json-body";

export const anomaliesApi = new Hono<{ Bindings: MockErrorEnv }>();

anomaliesApi.get("/", async (c) => c.json(await anomalySidecar(c.env).list()));

anomaliesApi.post("/", async (c) => {
  const check = checkAnomaly(await jsonBody(c));
  if (!check.ok) throw badRequest(check.reason);
  return c.json(await anomalySidecar(c.env).create(check.spec), 201);
});

anomaliesApi.get("/:id", async (c) => c.json(await anomalySidecar(c.env).get(c.req.param("id"))));

anomaliesApi.delete("/:id", async (c) => c.json(await anomalySidecar(c.env).cancel(c.req.param("id"))));

anomaliesApi.post("/:id/enable", async (c) => c.json(await anomalySidecar(c.env).enable(c.req.param("id"))));
