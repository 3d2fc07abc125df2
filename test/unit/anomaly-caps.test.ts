import { describe, expect, it } from "vitest";
import { checkAnomaly, type AnomalyInput } from "../../shared/anomalies/anomaly";
import { capAnomaly, defaultCaps, readCaps } from "../../sidecars/anomalies/caps";
import { initialDuty, nextDuty } from "../../sidecars/anomalies/types/duty-controller";

const GiB = 1024 ** 3;
const SEED_EXAMPLE = {
  name: "CPU压力测试",
  service: "storage-service",
  metric_name: "system_cpu_usage_percent",
  anomaly_type: "cpu_spike",
  target_value: 85.0,
  duration: 120000000000,
  enabled: true,
};

function spec(fields: Partial<AnomalyInput>): AnomalyInput {
  const check = checkAnomaly({ ...SEED_EXAMPLE, ...fields });
  if (!check.ok) throw new Error(check.reason);
  return check.spec;
}

describe("anomaly checks", () => {
  it("checkAnomaly › takes the seed's example as written", () => {
    expect(checkAnomaly(SEED_EXAMPLE)).toMatchObject({ ok: true, spec: { target_value: 85, duration: 120000000000 } });
  });

  it("checkAnomaly › refuses an unknown type, a metric of another type and a target outside the metric", () => {
    expect(checkAnomaly({ ...SEED_EXAMPLE, anomaly_type: "cpu_melt" })).toMatchObject({ ok: false, reason: expect.stringContaining("unknown anomaly_type") });
    expect(checkAnomaly({ ...SEED_EXAMPLE, metric_name: "memory_usage_bytes" })).toMatchObject({ ok: false, reason: expect.stringContaining("metric_name") });
    expect(checkAnomaly({ ...SEED_EXAMPLE, target_value: 150 })).toMatchObject({ ok: false, reason: expect.stringContaining("target_value") });
    expect(checkAnomaly({ ...SEED_EXAMPLE, duration: "soon" })).toMatchObject({ ok: false, reason: expect.stringContaining("duration") });
  });
});

describe("caps", () => {
  it("readCaps › safe defaults: 90 % CPU, min(2 GiB, a quarter of RAM), 2 GiB ballast, 2 GiB kept free, 2,000 connections, 10 min", () => {
    expect(readCaps({}, 4 * GiB)).toEqual({ maxCpuPercent: 90, maxMemoryBytes: GiB, maxDiskBytes: 2 * GiB, minFreeDiskBytes: 2 * GiB, maxConnections: 2000, maxDurationMs: 600_000 });
    expect(defaultCaps(64 * GiB).maxMemoryBytes).toBe(2 * GiB);
  });

  it("readCaps › takes each cap from its variable and refuses a bad value with its name", () => {
    expect(readCaps({ MOCKS3_ANOMALY_MAX_CPU_PERCENT: "50", MOCKS3_ANOMALY_MAX_DURATION_MS: "30000" }).maxCpuPercent).toBe(50);
    expect(() => readCaps({ MOCKS3_ANOMALY_MAX_CPU_PERCENT: "150" })).toThrow(/MOCKS3_ANOMALY_MAX_CPU_PERCENT/);
    expect(() => readCaps({ MOCKS3_ANOMALY_MAX_MEMORY_BYTES: "lots" })).toThrow(/MOCKS3_ANOMALY_MAX_MEMORY_BYTES/);
  });

  it("capAnomaly › refuses a duration above the cap, clamps a target above its cap and says so", () => {
    const caps = { ...defaultCaps(8 * GiB), maxCpuPercent: 50, maxDurationMs: 60_000 };
    expect(capAnomaly(spec({}), caps)).toMatchObject({ ok: false, reason: expect.stringContaining("MOCKS3_ANOMALY_MAX_DURATION_MS") });
    const clamped = capAnomaly(spec({ duration: "30s" }), caps);
    expect(clamped).toMatchObject({ ok: true, spec: { target_value: 50 }, notes: [expect.stringContaining("clamped to the cap of 50%")] });
    const memory = capAnomaly(spec({ anomaly_type: "memory_leak", metric_name: "memory_usage_bytes", target_value: 100 * GiB, duration: "30s" }), caps);
    expect(memory).toMatchObject({ ok: true, spec: { target_value: 2 * GiB } });
    expect(capAnomaly(spec({ target_value: 40, duration: "30s" }), caps)).toMatchObject({ ok: true, notes: [] });
  });
});

describe("cpu_spike controller", () => {
  /** A machine whose other load is `background` percent and whose threads add duty × 100. */
  function settle(target: number, background: (step: number) => number, maxDuty = 0.9, steps = 30): number[] {
    let duty = initialDuty(target, background(0), maxDuty);
    const measured: number[] = [];
    for (let step = 1; step <= steps; step++) {
      const usage = Math.min(100, background(step) + duty * 100);
      measured.push(usage);
      duty = nextDuty(duty, target, usage, maxDuty);
    }
    return measured;
  }

  it("duty › reaches the target within ±5 points in 10 s (33 samples) and holds it when other load changes", () => {
    const measured = settle(60, (step) => (step < 15 ? 10 : 35), 0.9, 40);
    expect(Math.abs(measured[12]! - 60)).toBeLessThan(5);
    expect(Math.abs(measured[39]! - 60)).toBeLessThan(5);
  });

  it("duty › never goes above the cap, and falls to 0 when other load alone is above the target", () => {
    expect(Math.max(...settle(100, () => 0, 0.5))).toBeLessThanOrEqual(50);
    expect(settle(30, () => 50).at(-1)).toBe(50);
  });
});
