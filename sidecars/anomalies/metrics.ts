/**
 * The sidecar's `/metrics`: what the machine measures (CPU, memory, disk) and what the
 * anomalies hold and aim for, in a registry of its own. Every label is bounded: `type` and
 * `service` by their enums, `id` by the anomalies running (one per type and service at most);
 * a series of an anomaly disappears when it ends. The table is in README.md.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from "prom-client";
import { ANOMALY_TYPES } from "../../shared/anomalies/anomaly";
import { FAULT_SERVICES } from "../../shared/faults/fault-services";
import type { HeldResource } from "./anomaly-module";
import { CpuSampler } from "./measure/cpu";
import { diskSpace } from "./measure/disk";
import { machineMemory } from "./measure/memory";
import type { RunningView } from "./runner";

export interface MetricsSource {
  dataDir: string;
  running(): RunningView[];
}

/** How often the machine's CPU usage is sampled for `system_cpu_usage_percent`. */
const CPU_SAMPLE_MS = 1000;

export function anomalyMetrics(source: MetricsSource): { registry: Registry; ended: Counter<"type" | "state">; stop(): void } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sampler = new CpuSampler();
  let cpuPercent = 0;
  const sampling = setInterval(() => (cpuPercent = sampler.sample()), CPU_SAMPLE_MS).unref();

  new Gauge({
    name: "system_cpu_usage_percent",
    help: "CPU usage of the whole machine, percent of all cores (/proc/stat, over the last second)",
    registers: [registry],
    collect() {
      this.set(cpuPercent);
    },
  });
  new Gauge({
    name: "system_memory_usage_percent",
    help: "memory in use on the machine (MemTotal - MemAvailable), percent of MemTotal",
    registers: [registry],
    collect() {
      this.set(machineMemory().usedPercent);
    },
  });
  diskGauges(registry, source.dataDir);
  heldGauge(registry, source, "memory_bytes", "mocks3_anomaly_memory_bytes", "resident memory held by memory_leak anomalies");
  heldGauge(registry, source, "ballast_bytes", "mocks3_anomaly_ballast_bytes", "ballast written by disk_full anomalies");
  heldGauge(registry, source, "connections", "mocks3_anomaly_connections", "connections held open by network_storm anomalies");
  anomalyGauges(registry, source);
  const ended = new Counter({ name: "mocks3_anomalies_ended_total", help: "anomalies that ended, by type and final state", labelNames: ["type", "state"] as const, registers: [registry] });
  return { registry, ended, stop: () => clearInterval(sampling) };
}

function diskGauges(registry: Registry, dataDir: string): void {
  const read = () => diskSpace(dataDir).catch(() => undefined);
  new Gauge({
    name: "mocks3_disk_used_bytes",
    help: "bytes used on the filesystem of the data directory",
    registers: [registry],
    async collect() {
      const d = await read();
      if (d) this.set(d.usedBytes);
    },
  });
  new Gauge({
    name: "mocks3_disk_free_bytes",
    help: "bytes free (for unprivileged writers) on the filesystem of the data directory",
    registers: [registry],
    async collect() {
      const d = await read();
      if (d) this.set(d.freeBytes);
    },
  });
}

function heldGauge(registry: Registry, source: MetricsSource, resource: HeldResource, name: string, help: string): void {
  new Gauge({
    name,
    help: `${help}, by target service`,
    labelNames: ["service"] as const,
    registers: [registry],
    collect() {
      for (const service of FAULT_SERVICES) this.set({ service }, 0);
      for (const { anomaly, held } of source.running()) {
        const amount = held.get(resource);
        if (amount !== undefined) this.inc({ service: anomaly.service }, amount);
      }
    },
  });
}

function anomalyGauges(registry: Registry, source: MetricsSource): void {
  new Gauge({
    name: "mocks3_anomaly_active",
    help: "anomalies running, by type and target service",
    labelNames: ["type", "service"] as const,
    registers: [registry],
    collect() {
      for (const type of ANOMALY_TYPES) for (const service of FAULT_SERVICES) this.set({ type, service }, 0);
      for (const { anomaly } of source.running()) this.inc({ type: anomaly.anomaly_type, service: anomaly.service });
    },
  });
  for (const [name, help, pick] of [
    ["mocks3_anomaly_target", "each running anomaly's target_value, in its metric's unit", (a: RunningView["anomaly"]) => a.target_value],
    ["mocks3_anomaly_actual", "each running anomaly's latest measurement of its metric", (a: RunningView["anomaly"]) => a.actual_value],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ["id", "type", "metric"] as const,
      registers: [registry],
      collect() {
        this.reset();
        for (const { anomaly } of source.running()) {
          const value = pick(anomaly);
          if (value !== null) this.set({ id: anomaly.id, type: anomaly.anomaly_type, metric: anomaly.metric_name }, value);
        }
      },
    });
  }
}
