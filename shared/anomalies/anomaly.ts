/**
 * A metric anomaly (the seed's `POST /api/v1/metric-anomaly` body): name, service,
 * metric_name, anomaly_type, target_value, duration, enabled — a real resource fault the
 * anomalies sidecar carries out, driving the named metric toward the target for the
 * duration. Checked whole when written; what the caps do not allow is refused with the reason.
 */
import { z } from "zod";
import { SERVICE_DOWN_MODES } from "./service-down-modes";
import { durationMs } from "../faults/duration";
import { FAULT_SERVICES } from "../faults/fault-services";
import { describeIssues } from "../faults/rule";

export const ANOMALY_TYPES = ["cpu_spike", "memory_leak", "disk_full", "network_storm", "service_down"] as const;
export type AnomalyType = (typeof ANOMALY_TYPES)[number];

/** The metrics each type is driven by, and the targets they allow. */
export const ANOMALY_METRICS: Record<AnomalyType, Record<string, { min: number; max: number; unit: string }>> = {
  cpu_spike: { system_cpu_usage_percent: { min: 1, max: 100, unit: "percent of all cores" } },
  memory_leak: {
    memory_usage_bytes: { min: 1, max: Number.MAX_SAFE_INTEGER, unit: "bytes held by the anomaly" },
    system_memory_usage_percent: { min: 1, max: 100, unit: "percent of the machine's memory in use" },
  },
  disk_full: {
    disk_usage_percent: { min: 1, max: 100, unit: "percent of the data directory's filesystem in use" },
    disk_usage_bytes: { min: 1, max: Number.MAX_SAFE_INTEGER, unit: "bytes of ballast written" },
  },
  network_storm: { network_connections: { min: 1, max: 100_000, unit: "concurrent connections to the service" } },
  service_down: { service_up: { min: 0, max: 0, unit: "0: the service is down" } },
};

export const ANOMALY_STATES = ["pending", "running", "completed", "cancelled", "failed"] as const;
export type AnomalyState = (typeof ANOMALY_STATES)[number];

export const anomalyInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    description: z.string().max(2000).optional(),
    service: z.enum(FAULT_SERVICES, { error: (issue) => `unknown service ${JSON.stringify(issue.input)} (one of ${FAULT_SERVICES.join(", ")})` }),
    metric_name: z.string().min(1),
    anomaly_type: z.enum(ANOMALY_TYPES, { error: (issue) => `unknown anomaly_type ${JSON.stringify(issue.input)} (one of ${ANOMALY_TYPES.join(", ")})` }),
    target_value: z.number(),
    duration: z
      .union([z.string(), z.number()])
      .refine((value) => durationMs(value) !== undefined && durationMs(value)! > 0, { message: 'is not a positive duration (use "2m", "30s", or integer nanoseconds)' }),
    enabled: z.boolean().optional(),
    /** service_down only: answer 503 (default), hold requests, or refuse connections */
    mode: z.enum(SERVICE_DOWN_MODES).optional(),
    id: z.unknown().optional(),
  })
  .superRefine((a, ctx) => {
    const metrics = ANOMALY_METRICS[a.anomaly_type];
    const metric = metrics[a.metric_name];
    if (!metric) {
      ctx.addIssue({ code: "custom", path: ["metric_name"], message: `${a.anomaly_type} is driven by ${Object.keys(metrics).join(" or ")}, not ${a.metric_name}` });
    } else if (a.target_value < metric.min || a.target_value > metric.max) {
      ctx.addIssue({ code: "custom", path: ["target_value"], message: `${a.metric_name} takes a target from ${metric.min} to ${metric.max} (${metric.unit})` });
    }
    if (a.mode !== undefined && a.anomaly_type !== "service_down") ctx.addIssue({ code: "custom", path: ["mode"], message: "mode is for service_down only" });
    // Only the gateway is reached through a Node front door, which can refuse connections
    // (workerd's own sockets cannot); refused here rather than quietly made `unavailable`.
    if (a.mode === "refuse" && a.service !== "gateway")
      ctx.addIssue({ code: "custom", path: ["mode"], message: `refuse needs a Node front door, which only gateway has; ${a.service} can be unavailable or hang` });
  });

export type AnomalyInput = z.output<typeof anomalyInput>;

/** An anomaly as the API reports it. */
export interface Anomaly {
  id: string;
  name: string;
  description: string;
  service: string;
  metric_name: string;
  anomaly_type: AnomalyType;
  target_value: number;
  /** as written */
  duration: string | number;
  duration_ms: number;
  enabled: boolean;
  mode?: (typeof SERVICE_DOWN_MODES)[number];
  state: AnomalyState;
  /** the latest measurement of metric_name */
  actual_value: number | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  /** why it failed, or what a cap changed */
  message?: string;
}

export type AnomalyCheck = { ok: true; spec: AnomalyInput } | { ok: false; reason: string };

/** An anomaly as written, checked whole: the spec to run, or every reason it is refused. */
export function checkAnomaly(input: unknown): AnomalyCheck {
  const parsed = anomalyInput.safeParse(input);
  return parsed.success ? { ok: true, spec: parsed.data } : { ok: false, reason: describeIssues(parsed.error) };
}
