/**
 * Hard caps on what an anomaly may take, so that none can harm the machine. Each is set by an
 * environment variable; a request above a cap is refused (duration) or clamped (the others),
 * and the anomaly's message says so. Targets given as a percent of the machine (memory, disk)
 * are clamped by the module when it runs, against the same caps.
 */
import os from "node:os";
import { durationMs } from "../../shared/faults/duration";
import type { AnomalyInput } from "../../shared/anomalies/anomaly";

export interface Caps {
  /** MOCKS3_ANOMALY_MAX_CPU_PERCENT: the most CPU (percent of all cores) an anomaly may add */
  maxCpuPercent: number;
  /** MOCKS3_ANOMALY_MAX_MEMORY_BYTES */
  maxMemoryBytes: number;
  /** MOCKS3_ANOMALY_MAX_DISK_BYTES: the most ballast written */
  maxDiskBytes: number;
  /** MOCKS3_ANOMALY_MIN_FREE_DISK_BYTES: free space never taken below this */
  minFreeDiskBytes: number;
  /** MOCKS3_ANOMALY_MAX_CONNECTIONS */
  maxConnections: number;
  /** MOCKS3_ANOMALY_MAX_DURATION_MS */
  maxDurationMs: number;
}

const GiB = 1024 ** 3;

export const CAP_VARIABLES: Record<keyof Caps, string> = {
  maxCpuPercent: "MOCKS3_ANOMALY_MAX_CPU_PERCENT",
  maxMemoryBytes: "MOCKS3_ANOMALY_MAX_MEMORY_BYTES",
  maxDiskBytes: "MOCKS3_ANOMALY_MAX_DISK_BYTES",
  minFreeDiskBytes: "MOCKS3_ANOMALY_MIN_FREE_DISK_BYTES",
  maxConnections: "MOCKS3_ANOMALY_MAX_CONNECTIONS",
  maxDurationMs: "MOCKS3_ANOMALY_MAX_DURATION_MS",
};

/**
 * The defaults leave the machine usable whatever an anomaly asks: a tenth of the CPU, three
 * quarters of the memory and at least 2 GiB of disk stay free, and nothing runs past 10 min.
 */
export function defaultCaps(totalMemoryBytes = os.totalmem()): Caps {
  return {
    maxCpuPercent: 90,
    maxMemoryBytes: Math.min(2 * GiB, Math.floor(totalMemoryBytes / 4)),
    maxDiskBytes: 2 * GiB,
    minFreeDiskBytes: 2 * GiB,
    maxConnections: 2000,
    maxDurationMs: 10 * 60_000,
  };
}

/** The caps from the environment over the defaults; a bad value is an error with its reason. */
export function readCaps(env: NodeJS.ProcessEnv = process.env, totalMemoryBytes = os.totalmem()): Caps {
  const caps = defaultCaps(totalMemoryBytes);
  for (const key of Object.keys(CAP_VARIABLES) as Array<keyof Caps>) {
    const name = CAP_VARIABLES[key];
    const text = env[name];
    if (text === undefined || text.trim() === "") continue;
    const value = Number(text);
    const ceiling = key === "maxCpuPercent" ? 100 : Number.MAX_SAFE_INTEGER;
    const floor = key === "minFreeDiskBytes" ? 0 : 1;
    if (!Number.isInteger(value) || value < floor || value > ceiling) {
      throw new Error(`${name} must be an integer from ${floor} to ${ceiling}, got ${JSON.stringify(text)}`);
    }
    caps[key] = value;
  }
  return caps;
}

export type CappedAnomaly = { ok: true; spec: AnomalyInput; notes: string[] } | { ok: false; reason: string };

/** Targets measured in a unit a cap is given in, by anomaly type and metric. */
const TARGET_CAPS: Array<{ type: AnomalyInput["anomaly_type"]; metric: string; cap: keyof Caps; unit: string }> = [
  { type: "cpu_spike", metric: "system_cpu_usage_percent", cap: "maxCpuPercent", unit: "%" },
  { type: "memory_leak", metric: "memory_usage_bytes", cap: "maxMemoryBytes", unit: " bytes" },
  { type: "disk_full", metric: "disk_usage_bytes", cap: "maxDiskBytes", unit: " bytes" },
  { type: "network_storm", metric: "network_connections", cap: "maxConnections", unit: " connections" },
];

/** Refuses a duration above the cap; clamps a target above its cap, saying so in `notes`. */
export function capAnomaly(spec: AnomalyInput, caps: Caps): CappedAnomaly {
  const ms = durationMs(spec.duration)!;
  if (ms > caps.maxDurationMs) {
    return { ok: false, reason: `duration: ${ms / 1000} s is above the cap of ${caps.maxDurationMs / 1000} s (${CAP_VARIABLES.maxDurationMs})` };
  }
  const notes: string[] = [];
  let capped = spec;
  for (const rule of TARGET_CAPS) {
    const cap = caps[rule.cap];
    if (spec.anomaly_type !== rule.type || spec.metric_name !== rule.metric || spec.target_value <= cap) continue;
    notes.push(`target_value ${spec.target_value}${rule.unit} clamped to the cap of ${cap}${rule.unit} (${CAP_VARIABLES[rule.cap]})`);
    capped = { ...spec, target_value: cap };
  }
  return { ok: true, spec: capped, notes };
}
