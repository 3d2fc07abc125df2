/**
 * Where the checks' values come from: the anomalies sidecar's traffic windows (one call a
 * sample for every traffic check, shared/experiments/traffic-window.ts), the object events
 * waiting in the buckets' outboxes (metadata-service's bucket list), an anomaly's latest
 * measurement, and HTTP probes of the user's own service. Every call is bounded: a sample
 * never waits on a slow source for longer than SOURCE_TIMEOUT_MS.
 */
import type { Check } from "../../../../shared/experiments/document";
import type { WindowRequest, WindowResponse } from "../../../../shared/experiments/traffic-window";
import type { BucketUsage } from "../../../../shared/bucket-usage";
import { anomalySidecar, sidecarFetch, sidecarUrl } from "../anomaly-sidecar";
import { internal } from "../internal-call";

const SOURCE_TIMEOUT_MS = 2_000;

/** The sidecar's traffic windows, or the reason they cannot be read. */
export async function trafficWindows(env: MockErrorEnv, request: WindowRequest): Promise<WindowResponse | string> {
  const base = sidecarUrl(env);
  if (!base) return "no anomalies sidecar runs (MOCKS3_ANOMALY_URL is empty), and it is what measures the traffic";
  try {
    const answer = await sidecarFetch(env, "/window", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS),
    });
    if (!answer.ok) return `the anomalies sidecar answered ${answer.status}: ${await answer.text()}`;
    return (await answer.json()) as WindowResponse;
  } catch (error) {
    return `the anomalies sidecar at ${base} cannot be reached (${String(error)})`;
  }
}

/** Object events waiting to be handled, over every bucket; null when metadata-service does not answer. */
export async function queueLength(env: MockErrorEnv): Promise<number | null> {
  try {
    const answer = await internal(env, env.METADATA, "/api/v1/buckets", { signal: AbortSignal.timeout(SOURCE_TIMEOUT_MS) });
    if (!answer.ok) return null;
    const usage = (await answer.json()) as BucketUsage;
    return usage.buckets.reduce((sum, bucket) => sum + bucket.pendingEvents, 0);
  } catch {
    return null;
  }
}

/** The latest measurement of an anomaly's metric; null before its first or once it is gone. */
export async function anomalyValue(env: MockErrorEnv, anomalyId: string | null): Promise<number | null> {
  if (!anomalyId) return null;
  const anomaly = await anomalySidecar(env)
    .get(anomalyId)
    .catch(() => undefined);
  return anomaly?.state === "running" ? anomaly.actual_value : null;
}

/** One probe: whether the user's service answered as the check expects, in time. */
export async function probeOnce(probe: NonNullable<Check["probe"]>): Promise<boolean> {
  const limit = probe.max_latency ?? 10_000;
  const started = Date.now();
  try {
    const answer = await fetch(probe.url, { method: probe.method ?? "GET", redirect: "manual", signal: AbortSignal.timeout(limit) });
    await answer.body?.cancel();
    const expected = probe.status === undefined ? null : Array.isArray(probe.status) ? probe.status : [probe.status];
    const statusOk = expected ? expected.includes(answer.status) : answer.status >= 200 && answer.status < 400;
    return statusOk && Date.now() - started <= limit;
  } catch {
    return false;
  }
}
