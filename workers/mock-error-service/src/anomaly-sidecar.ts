/**
 * The anomalies sidecar as mock-error-service reaches it: a Node process on loopback (it
 * takes real CPU, memory, disk and connections, which a worker cannot), at
 * MOCKS3_ANOMALY_URL, over fetch — there is no RPC into a process outside workerd. Its
 * answers pass through as they are, refusals (400, 404, 409) included; a sidecar that cannot
 * be reached, or none at all (wrangler dev: the URL is empty), is a 503 with the reason.
 */
import { HTTPException } from "hono/http-exception";
import type { Anomaly, AnomalyInput } from "../../../shared/anomalies/anomaly";
import { bearer } from "../../../shared/control/bearer";
import { controlPolicy } from "../../../shared/control/guard";
import { unavailable } from "../../../shared/json-body";
import { sidecarAbsent } from "../../../shared/sidecar-absent";

export interface AnomalySidecar {
  create(spec: AnomalyInput): Promise<Anomaly>;
  list(): Promise<{ anomalies: Anomaly[]; total: number }>;
  get(id: string): Promise<Anomaly>;
  cancel(id: string): Promise<Anomaly>;
  enable(id: string): Promise<Anomaly>;
  halt(): Promise<{ halted_anomalies: number }>;
}

/** The sidecar's base URL, "" when none runs (wrangler dev). */
export function sidecarUrl(env: MockErrorEnv): string {
  return env.MOCKS3_ANOMALY_URL.replace(/\/$/, "");
}

/** A call to the sidecar's API with the stack's token; the caller makes sure there is a sidecar (`sidecarUrl`). */
export function sidecarFetch(env: MockErrorEnv, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sidecarUrl(env)}${path}`, { ...init, headers: { ...bearer(controlPolicy(env).token), ...(init.headers as Record<string, string> | undefined) } });
}

export function anomalySidecar(env: MockErrorEnv): AnomalySidecar {
  const one = (id: string) => `/anomalies/${encodeURIComponent(id)}`;
  const call = <T>(method: string, path: string, body?: unknown) => callSidecar<T>(env, method, path, body);
  return {
    create: (spec) => call("POST", "/anomalies", spec),
    list: () => call("GET", "/anomalies"),
    get: (id) => call("GET", one(id)),
    cancel: (id) => call("DELETE", one(id)),
    enable: (id) => call("POST", `${one(id)}/enable`),
    halt: () => call("POST", "/halt"),
  };
}

async function callSidecar<T>(env: MockErrorEnv, method: string, path: string, body?: unknown): Promise<T> {
  const base = sidecarUrl(env);
  if (!base) throw unavailable(sidecarAbsent("the metric anomaly API", "MOCKS3_ANOMALY_URL"));
  let response: Response;
  try {
    response = await sidecarFetch(env, path, body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  } catch (error) {
    throw unavailable(`the anomalies sidecar at ${base} cannot be reached (${String(error)}); npm start runs it, or run it alone: npx tsx sidecars/anomalies/main.ts`);
  }
  if (response.ok) return (await response.json()) as T;
  const text = await response.text();
  throw new HTTPException(response.status as 400, { res: new Response(text, { status: response.status, headers: { "content-type": "application/json" } }) });
}
