/**
 * Service states: how a running anomaly changes what the services do, as opposed to rules,
 * which act on matching requests. The anomalies sidecar sets them on mock-error-service
 * (`/api/v1/internal/states`), the rule store keeps them with the rules, and every gate
 * receives them with the rule set.
 *
 * - `down[service]` (service_down): the service answers 503 (`unavailable`), holds every
 *   request until the state ends (`hang`), or — the gateway only, which clients reach
 *   through the Node front door — refuses connections (`refuse`: the front door stops
 *   listening; whatever reaches the worker some other way is answered 503).
 * - `disk_full` (disk_full): writes of object bytes fail with 503 ServiceUnavailable.
 *
 * Each state carries `until`, the anomaly's end: every gate ignores a state past it, and the
 * store drops it, so a service comes back by itself even if the sidecar died.
 */
import type { SERVICE_DOWN_MODES } from "../anomalies/service-down-modes";
import { FAULT_SERVICES, type FaultService } from "./fault-services";

export type DownMode = (typeof SERVICE_DOWN_MODES)[number];

export interface DownState {
  mode: DownMode;
  /** ISO time at which the service is up again, whatever happens */
  until: string;
  anomaly_id: string;
}

export interface DiskFullState {
  until: string;
  anomaly_id: string;
}

export interface ServiceStates {
  down: Partial<Record<FaultService, DownState>>;
  disk_full: DiskFullState | null;
}

export const NO_STATES: ServiceStates = { down: {}, disk_full: null };

/** Marks every answer a service state caused, with the anomaly's id. */
export const ANOMALY_HEADER = "x-mocks3-anomaly";

/** The longest a state may be set for (the anomalies' own cap is usually far lower). */
export const MAX_STATE_MS = 24 * 3_600_000;

/** Only services behind a Node front door can refuse connections; that is the gateway alone. */
export const REFUSING_SERVICES: readonly FaultService[] = ["gateway"];

/** Why `service` cannot be taken down in `mode`, if it cannot. */
export function downRefusal(service: string, mode: DownMode): string | undefined {
  if (!(FAULT_SERVICES as readonly string[]).includes(service)) {
    return service === "mock-error-service" ? "mock-error-service is the control plane and is never taken down" : `unknown service ${JSON.stringify(service)} (one of ${FAULT_SERVICES.join(", ")})`;
  }
  if (mode === "refuse" && !REFUSING_SERVICES.includes(service as FaultService)) {
    return `mode refuse needs a Node front door, which only ${REFUSING_SERVICES.join(", ")} has; ${service} can be unavailable or hang`;
  }
  return undefined;
}

/** Whether a state is still in force at `now` (ms). */
export function inForce(state: { until: string } | null | undefined, now = Date.now()): boolean {
  return state !== null && state !== undefined && Date.parse(state.until) > now;
}
