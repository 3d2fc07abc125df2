/**
 * The anomalies sidecar alone: memory_leak really holds and releases resident memory, the
 * caps refuse and clamp, the lifecycle (pending, enable, conflict, cancel) and a kill -9
 * mid-anomaly followed by a restart on the same data directory. (cpu_spike is measured in
 * test/exclusive/, where no other test file loads the CPU.)
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue, sidecarApi, startSidecarProcess, until, type SidecarProcess } from "../helpers/anomaly-sidecar";
import { isRunning, residentBytes } from "../helpers/proc";

const MiB = 1024 * 1024;

function memoryLeak(bytes: number, duration: string, fields: Record<string, unknown> = {}) {
  return { name: "leak", service: "storage-service", metric_name: "memory_usage_bytes", anomaly_type: "memory_leak", target_value: bytes, duration, ...fields };
}

let sidecar: SidecarProcess;

beforeAll(async () => {
  sidecar = await startSidecarProcess({ env: { MOCKS3_ANOMALY_MAX_MEMORY_BYTES: String(256 * MiB), MOCKS3_ANOMALY_MAX_CPU_PERCENT: "50", MOCKS3_ANOMALY_MAX_DURATION_MS: "60000" } });
}, 60_000);

afterAll(async () => {
  await sidecar?.stop();
});

describe("memory_leak", () => {
  it("memory_leak › 200 MiB raises the sidecar's resident memory by at least 180 MiB, then gives it back", { timeout: 40_000 }, async () => {
    const before = residentBytes(sidecar.pid);
    const { status, json: created } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(200 * MiB, "6s"));
    expect(status).toBe(201);
    expect(created).toMatchObject({ state: "running", anomaly_type: "memory_leak" });
    const peak = await until("resident memory to grow", () => {
      const rss = residentBytes(sidecar.pid);
      return rss - before >= 180 * MiB ? rss : undefined;
    });
    expect(peak - before).toBeGreaterThanOrEqual(180 * MiB);
    await until("the whole target to be held", async () => ((await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`)).json.actual_value === 200 * MiB ? true : undefined));
    const metrics = await (await fetch(`${sidecar.url}/metrics`)).text();
    expect(metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="storage-service"}')).toBe(200 * MiB);
    expect(metricValue(metrics, 'mocks3_anomaly_active{type="memory_leak",service="storage-service"}')).toBe(1);
    expect(metricValue(metrics, `mocks3_anomaly_target{id="${created.id}",type="memory_leak",metric="memory_usage_bytes"}`)).toBe(200 * MiB);

    const done = await until("the anomaly to complete", async () => {
      const { json } = await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`);
      return json.state === "running" ? undefined : json;
    });
    expect(done).toMatchObject({ state: "completed", actual_value: 200 * MiB });
    expect(residentBytes(sidecar.pid)).toBeLessThan(before + 40 * MiB);
    const after = await (await fetch(`${sidecar.url}/metrics`)).text();
    expect(metricValue(after, 'mocks3_anomaly_memory_bytes{service="storage-service"}')).toBe(0);
    expect(after).not.toContain(created.id);
  });

  it("memory_leak › a cancel answers once the memory is released", { timeout: 30_000 }, async () => {
    const before = residentBytes(sidecar.pid);
    const { json: created } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(64 * MiB, "50s", { service: "gateway" }));
    await until("resident memory to grow", () => (residentBytes(sidecar.pid) - before >= 56 * MiB ? true : undefined));
    const { status, json } = await sidecarApi(sidecar.url, "DELETE", `/anomalies/${created.id}`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ state: "cancelled" });
    expect(residentBytes(sidecar.pid)).toBeLessThan(before + 24 * MiB);
  });
});

describe("memory_leak of the machine's memory", () => {
  it("system_memory_usage_percent › grows toward the machine's used percent, stops at the memory cap and says so", { timeout: 30_000 }, async () => {
    const used = (await (await fetch(`${sidecar.url}/metrics`)).text()).match(/^system_memory_usage_percent (\S+)/m)!;
    // 3 points of this machine's memory is well above the 256 MiB cap of this sidecar
    const target = Math.min(100, Math.ceil(Number(used[1]) + 3));
    const { json: created } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(target, "20s", { service: "third-party-service", metric_name: "system_memory_usage_percent" }));
    expect(created).toMatchObject({ state: "running", target_value: target });
    await until("the cap to be reached", async () => {
      const metrics = await (await fetch(`${sidecar.url}/metrics`)).text();
      return metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="third-party-service"}') === 256 * MiB ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 300)); // one more step: held, nothing more
    const { json: held } = await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`);
    expect(held.message).toContain("MOCKS3_ANOMALY_MAX_MEMORY_BYTES");
    expect(held.actual_value).toBeGreaterThan(0);
    expect(held.actual_value).toBeLessThanOrEqual(100);
    expect((await sidecarApi(sidecar.url, "DELETE", `/anomalies/${created.id}`)).json.state).toBe("cancelled");
  });
});

describe("caps", () => {
  it("caps › a duration above the cap is refused with 400 and the variable's name", async () => {
    const { status, json } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(MiB, "2m"));
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: "bad_request", reason: expect.stringContaining("MOCKS3_ANOMALY_MAX_DURATION_MS") });
  });

  it("caps › targets above their cap are clamped, and the anomaly's message says so", async () => {
    const cpu = await sidecarApi(sidecar.url, "POST", "/anomalies", { name: "hot", service: "gateway", metric_name: "system_cpu_usage_percent", anomaly_type: "cpu_spike", target_value: 95, duration: "5s", enabled: false });
    expect(cpu.status).toBe(201);
    expect(cpu.json).toMatchObject({ state: "pending", target_value: 50, message: expect.stringContaining("MOCKS3_ANOMALY_MAX_CPU_PERCENT") });
    const memory = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(4096 * MiB, "5s", { enabled: false }));
    expect(memory.json).toMatchObject({ target_value: 256 * MiB, message: expect.stringContaining("MOCKS3_ANOMALY_MAX_MEMORY_BYTES") });
    for (const { json } of [cpu, memory]) await sidecarApi(sidecar.url, "DELETE", `/anomalies/${json.id}`);
  });

  it("API › refuses a bad anomaly with the reason; an unknown id is 404", async () => {
    const bad = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(MiB, "5s", { anomaly_type: "memory_melt" }));
    expect(bad).toMatchObject({ status: 400, json: { reason: expect.stringContaining("unknown anomaly_type") } });
    expect((await sidecarApi(sidecar.url, "GET", "/anomalies/nope")).status).toBe(404);
  });
});

describe("lifecycle", () => {
  it("enabled: false › stays pending with no effect until enabled; a second one of a type on a service is a conflict", { timeout: 30_000 }, async () => {
    const { json: pending } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(16 * MiB, "20s", { service: "queue-service", enabled: false }));
    expect(pending).toMatchObject({ state: "pending", enabled: false, started_at: null });
    await new Promise((r) => setTimeout(r, 500));
    expect((await sidecarApi(sidecar.url, "GET", `/anomalies/${pending.id}`)).json.state).toBe("pending");
    const enabled = await sidecarApi(sidecar.url, "POST", `/anomalies/${pending.id}/enable`);
    expect(enabled.json).toMatchObject({ state: "running", enabled: true });
    const second = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(16 * MiB, "20s", { service: "queue-service" }));
    expect(second).toMatchObject({ status: 409, json: { error: "conflict", reason: expect.stringContaining(pending.id) } });
    const cancelled = await sidecarApi(sidecar.url, "DELETE", `/anomalies/${pending.id}`);
    expect(cancelled.json).toMatchObject({ state: "cancelled" });
    expect((await sidecarApi(sidecar.url, "GET", "/anomalies")).json.anomalies.some((a: { id: string }) => a.id === pending.id)).toBe(true);
  });
});

describe("restart", () => {
  it("kill -9 mid-anomaly › the next sidecar on the data directory records it failed, runs nothing, keeps pending ones", { timeout: 60_000 }, async () => {
    const victim = await startSidecarProcess();
    try {
      const { json: running } = await sidecarApi(victim.url, "POST", "/anomalies", memoryLeak(64 * MiB, "50s"));
      const { json: pending } = await sidecarApi(victim.url, "POST", "/anomalies", memoryLeak(64 * MiB, "50s", { service: "gateway", enabled: false }));
      await until("memory to be held", async () => ((await sidecarApi(victim.url, "GET", `/anomalies/${running.id}`)).json.actual_value >= 32 * MiB ? true : undefined));
      await victim.kill();
      expect(isRunning(victim.pid)).toBe(false);
      const saved = JSON.parse(await readFile(path.join(victim.dataDir, "anomalies", "state.json"), "utf8"));
      expect(saved.pid).toBe(victim.pid);
      expect(saved.anomalies.find((a: { id: string }) => a.id === running.id).state).toBe("running");

      const next = await startSidecarProcess({ dataDir: victim.dataDir, port: Number(new URL(victim.url).port) });
      try {
        const health = (await sidecarApi(next.url, "GET", "/health")).json;
        expect(health).toMatchObject({ status: "ok", running: 0, leftovers: "cleaned" });
        const { json } = await sidecarApi(next.url, "GET", "/anomalies");
        const byId = new Map(json.anomalies.map((a: { id: string }) => [a.id, a]));
        expect(byId.get(running.id)).toMatchObject({ state: "failed", message: expect.stringContaining(`pid ${victim.pid}`) });
        expect(byId.get(pending.id)).toMatchObject({ state: "pending" });
        const resaved = JSON.parse(await readFile(path.join(victim.dataDir, "anomalies", "state.json"), "utf8"));
        expect(resaved.pid).toBe(next.pid);
        expect(resaved.anomalies.filter((a: { state: string }) => a.state === "running")).toEqual([]);
      } finally {
        await next.stop();
      }
    } finally {
      await victim.kill();
    }
  });
});
