/**
 * `/api/v1/internal/states`: the service states the anomalies sidecar sets while an anomaly
 * runs (shared/faults/service-states.ts) — internal, not part of the seeds' API. Each change
 * is pushed to every service before the answer, like a rule change; each state ends by
 * itself at its `until`.
 *
 *   GET    /                      → the states in force
 *   PUT    /down/:service         {mode, until, anomaly_id} → the service is down
 *   DELETE /down/:service         (?anomaly_id= clears only that anomaly's) → it is up
 *   PUT    /disk-full             {until, anomaly_id}
 *   DELETE /disk-full             (?anomaly_id=)
 *   DELETE /                      → every state cleared (a restarted sidecar's clean-up)
 *
 * mock-error-service itself is never taken down: it is the control plane.
 */
import { Hono } from "hono";
import type { FaultService } from "../../../shared/faults/fault-services";
import { describeIssues } from "../../../shared/faults/rule";
import { diskFullInput, downInput } from "../../../shared/faults/service-state-input";
import { downRefusal } from "../../../shared/faults/service-states";
import { pushRules, rulesStore } from "./broadcast";
import { badRequest, jsonBody } from "../../../shared/json-body";

export const statesApi = new Hono<{ Bindings: MockErrorEnv }>();

statesApi.get("/", async (c) => c.json(await rulesStore(c.env).states()));

statesApi.put("/down/:service", async (c) => {
  const service = c.req.param("service");
  const parsed = downInput.safeParse(await jsonBody(c));
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  const refusal = downRefusal(service, parsed.data.mode);
  if (refusal) throw badRequest(refusal);
  const states = await rulesStore(c.env).setState(`down:${service as FaultService}`, parsed.data);
  await pushRules(c.env);
  return c.json(states);
});

statesApi.delete("/down/:service", async (c) => {
  const service = c.req.param("service");
  const refusal = downRefusal(service, "unavailable");
  if (refusal) throw badRequest(refusal);
  const states = await rulesStore(c.env).clearState(`down:${service as FaultService}`, c.req.query("anomaly_id"));
  await pushRules(c.env);
  return c.json(states);
});

statesApi.put("/disk-full", async (c) => {
  const parsed = diskFullInput.safeParse(await jsonBody(c));
  if (!parsed.success) throw badRequest(describeIssues(parsed.error));
  const states = await rulesStore(c.env).setState("disk_full", parsed.data);
  await pushRules(c.env);
  return c.json(states);
});

statesApi.delete("/disk-full", async (c) => {
  const states = await rulesStore(c.env).clearState("disk_full", c.req.query("anomaly_id"));
  await pushRules(c.env);
  return c.json(states);
});

statesApi.delete("/", async (c) => {
  const states = await rulesStore(c.env).clearState();
  await pushRules(c.env);
  return c.json(states);
});
