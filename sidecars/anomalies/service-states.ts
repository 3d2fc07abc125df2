/**
 * The sidecar's side of the service states (shared/faults/service-states.ts): set and cleared
 * on mock-error-service, which pushes each change to every service at once. A state carries
 * the anomaly's end as `until`, so it ends there even if this process dies first; a clear
 * names the anomaly, so that it never removes a state a later anomaly set.
 */
import { bearer } from "../../shared/control/bearer";
import { controlPolicy } from "../../shared/control/guard";
import { durationMs } from "../../shared/faults/duration";
import type { FaultService } from "../../shared/faults/fault-services";
import type { DownMode, ServiceStates } from "../../shared/faults/service-states";
import type { AnomalyContext } from "./anomaly-module";

const TIMEOUT_MS = 5_000;
/**
 * Each call on a connection of its own: calls are seconds apart, and a kept-alive connection
 * the server closes just as a call goes out would fail it (workerd closes idle ones after 5 s
 * without announcing it). A clear that failed so would leave a service down until `until`.
 */
const FRESH_CONNECTION = { connection: "close" };

/** When the anomaly ends at the latest: its duration, within the cap. */
export function anomalyEnd(ctx: AnomalyContext, from = Date.now()): Date {
  const ms = Math.min(durationMs(ctx.spec.duration) ?? ctx.caps.maxDurationMs, ctx.caps.maxDurationMs);
  return new Date(from + ms);
}

export function setDown(mockErrorUrl: string, service: FaultService, state: { mode: DownMode; until: Date; anomalyId: string }): Promise<ServiceStates> {
  return call(mockErrorUrl, "PUT", `/down/${service}`, { mode: state.mode, until: state.until.toISOString(), anomaly_id: state.anomalyId });
}

/** Clears the anomaly's down state of `service` (whoever set it, without an anomaly id). */
export function clearDown(mockErrorUrl: string, service: FaultService, anomalyId?: string): Promise<ServiceStates> {
  return call(mockErrorUrl, "DELETE", `/down/${service}${anomalyId === undefined ? "" : `?anomaly_id=${encodeURIComponent(anomalyId)}`}`);
}

export function setDiskFull(mockErrorUrl: string, state: { until: Date; anomalyId: string }): Promise<ServiceStates> {
  return call(mockErrorUrl, "PUT", "/disk-full", { until: state.until.toISOString(), anomaly_id: state.anomalyId });
}

/** Clears the anomaly's disk_full state (whoever set it, without an anomaly id). */
export function clearDiskFull(mockErrorUrl: string, anomalyId?: string): Promise<ServiceStates> {
  return call(mockErrorUrl, "DELETE", `/disk-full${anomalyId === undefined ? "" : `?anomaly_id=${encodeURIComponent(anomalyId)}`}`);
}

async function call(base: string, method: string, path: string, body?: unknown): Promise<ServiceStates> {
  const response = await fetch(`${base}/api/v1/internal/states${path}`, {
    method,
    headers: { ...FRESH_CONNECTION, ...bearer(controlPolicy(process.env).token), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`mock-error-service refused ${method} states${path} (${response.status}): ${text}`);
  return JSON.parse(text) as ServiceStates;
}
