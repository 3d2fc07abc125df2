/**
 * The anomalies sidecar alone: memory_leak really holds and releases resident memory, the
 * caps refuse and clamp, the lifecycle (pending, enable, conflict, cancel) and a kill -9
 * mid-anomaly followed by a restart on the same data directory; POST /window's bodies (its
 * tallies are in test/unit/traffic-windows.test.ts). (cpu_spike is measured in
 * test/exclusive/, where no other test file loads the CPU.)
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue, sidecarApi, startSidecarProcess, until, type SidecarProcess } from "../helpers/anomaly-sidecar";
import { isRunning, residentBytes } from "../helpers/proc";

const MiB = 1024 * 1024;

/**
 * The sidecar's memory cap, from what this machine has: at most 256 MiB, and at most a
 * quarter of what is available above the tenth of the memory a leak leaves free — so that a
 * small or busy machine can hold every leak below (none holds more than the cap).
 */
const CAP = Math.min(256 * MiB, Math.floor((os.freemem() - os.totalmem() / 10) / 4 / MiB) * MiB);
/** the leak that is measured in the sidecar's resident memory: three quarters of the cap */
const LEAK = Math.floor((CAP * 0.75) / MiB) * MiB;

function memoryLeak(bytes: number, duration: string, fields: Record<string, unknown> = {}) {
  return { name: "leak", service: "storage-service", metric_name: "memory_usage_bytes", anomaly_type: "memory_leak", target_value: bytes, duration, ...fields };
}

let sidecar: SidecarProcess;

beforeAll(async () => {
  if (CAP < 64 * MiB) throw new Error(`this machine has ${Math.round(os.freemem() / MiB)} MiB available: too little for memory_leak's tests`);
  sidecar = await startSidecarProcess({ env: { MOCKS3_ANOMALY_MAX_MEMORY_BYTES: String(CAP), MOCKS3_ANOMALY_MAX_CPU_PERCENT: "50", MOCKS3_ANOMALY_MAX_DURATION_MS: "60000" } });
}, 60_000);

afterAll(async () => {
  await sidecar?.stop();
});

describe("memory_leak", () => {
  // 15 s: room for the growth (about 3 s) and the checks while it holds, on a busy machine
  it("memory_leak › its target raises the sidecar's resident memory by at least 90 % of it, then gives it back", { timeout: 60_000 }, async () => {
    const before = residentBytes(sidecar.pid);
    const { status, json: created } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(LEAK, "15s"));
    expect(status).toBe(201);
    expect(created).toMatchObject({ state: "running", anomaly_type: "memory_leak" });
    const peak = await until("resident memory to grow", () => {
      const rss = residentBytes(sidecar.pid);
      return rss - before >= 0.9 * LEAK ? rss : undefined;
    });
    expect(peak - before).toBeGreaterThanOrEqual(0.9 * LEAK);
    await until("the whole target to be held", async () => ((await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`)).json.actual_value === LEAK ? true : undefined));
    const metrics = await (await fetch(`${sidecar.url}/metrics`)).text();
    expect(metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="storage-service"}')).toBe(LEAK);
    expect(metricValue(metrics, 'mocks3_anomaly_active{type="memory_leak",service="storage-service"}')).toBe(1);
    expect(metricValue(metrics, `mocks3_anomaly_target{id="${created.id}",type="memory_leak",metric="memory_usage_bytes"}`)).toBe(LEAK);

    const done = await until(
      "the anomaly to complete",
      async () => {
        const { json } = await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`);
        return json.state === "running" ? undefined : json;
      },
      30_000,
    );
    expect(done).toMatchObject({ state: "completed", actual_value: LEAK });
    expect(residentBytes(sidecar.pid)).toBeLessThan(before + LEAK / 5);
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
    // four caps above what is used now (or everything, which is more), so that other processes
    // taking memory meanwhile cannot bring the goal below the cap
    const target = Math.min(100, Math.ceil(Number(used[1]) + (400 * CAP) / os.totalmem()));
    const { json: created } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(target, "20s", { service: "third-party-service", metric_name: "system_memory_usage_percent" }));
    expect(created).toMatchObject({ state: "running", target_value: target });
    await until("the cap to be reached", async () => {
      const metrics = await (await fetch(`${sidecar.url}/metrics`)).text();
      return metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="third-party-service"}') === CAP ? true : undefined;
    });
    const held = await until("the cap to be reported", async () => {
      const { json } = await sidecarApi(sidecar.url, "GET", `/anomalies/${created.id}`);
      return json.message?.includes("MOCKS3_ANOMALY_MAX_MEMORY_BYTES") ? json : undefined;
    });
    const metrics = await (await fetch(`${sidecar.url}/metrics`)).text();
    expect(metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="third-party-service"}')).toBe(CAP);
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
    const cpu = await sidecarApi(sidecar.url, "POST", "/anomalies", {
      name: "hot",
      service: "gateway",
      metric_name: "system_cpu_usage_percent",
      anomaly_type: "cpu_spike",
      target_value: 95,
      duration: "5s",
      enabled: false,
    });
    expect(cpu.status).toBe(201);
    expect(cpu.json).toMatchObject({ state: "pending", target_value: 50, message: expect.stringContaining("MOCKS3_ANOMALY_MAX_CPU_PERCENT") });
    const memory = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(4096 * MiB, "5s", { enabled: false }));
    expect(memory.json).toMatchObject({ target_value: CAP, message: expect.stringContaining("MOCKS3_ANOMALY_MAX_MEMORY_BYTES") });
    for (const { json } of [cpu, memory]) await sidecarApi(sidecar.url, "DELETE", `/anomalies/${json.id}`);
  });

  it("API › refuses a bad anomaly with the reason; an unknown id is 404", async () => {
    const bad = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(MiB, "5s", { anomaly_type: "memory_melt" }));
    expect(bad).toMatchObject({ status: 400, json: { reason: expect.stringContaining("unknown anomaly_type") } });
    expect((await sidecarApi(sidecar.url, "GET", "/anomalies/nope")).status).toBe(404);
  });
});

describe("POST /window", () => {
  it("POST /window › refuses a malformed body with 400 and the reason; answers a good one with a cursor and a result per query", async () => {
    const query = { key: "gets", service: "gateway", operation: "GetObject", window_ms: 1_000 };
    for (const [body, reason] of [
      [{ since: null, queries: "all" }, "queries"],
      [{ since: null, queries: Array.from({ length: 65 }, () => query) }, "queries"],
      [{ since: null, queries: [{ ...query, window_ms: 0 }] }, "queries.0.window_ms"],
      [{ since: null, queries: [{ ...query, window_ms: 120_001 }] }, "queries.0.window_ms"],
      [{ since: null, queries: [{ ...query, service: undefined }] }, "queries.0.service"],
      [{ since: { epoch: "x", seq: 0 }, queries: [query] }, "since.epoch"],
    ] as const) {
      expect(await sidecarApi(sidecar.url, "POST", "/window", body), reason).toMatchObject({ status: 400, json: { error: "bad_request", reason: expect.stringContaining(reason) } });
    }
    const notJson = await fetch(`${sidecar.url}/window`, { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: "bad_request", reason: expect.stringContaining("not valid JSON") });

    const { status, json } = await sidecarApi(sidecar.url, "POST", "/window", { since: null, queries: [query] });
    expect(status).toBe(200);
    expect(json).toMatchObject({ cursor: { epoch: expect.any(Number), seq: 0 }, reset: false, results: [{ key: "gets", window: { requests: 0, latency: {} }, delta: { requests: 0 } }] });
    const again = await sidecarApi(sidecar.url, "POST", "/window", { since: { epoch: json.cursor.epoch - 1, seq: 0 }, queries: [] });
    expect(again.json).toEqual({ cursor: json.cursor, reset: true, results: [] });
  });
});

describe("lifecycle", () => {
  it("enabled: false › stays pending with no effect until enabled; a second one of a type on a service is a conflict", { timeout: 30_000 }, async () => {
    const { json: pending } = await sidecarApi(sidecar.url, "POST", "/anomalies", memoryLeak(16 * MiB, "20s", { service: "queue-service", enabled: false }));
    expect(pending).toMatchObject({ state: "pending", enabled: false, started_at: null });
    // an observation window for an effect that must not come: a slow machine only shortens it
    await new Promise((r) => setTimeout(r, 500));
    expect((await sidecarApi(sidecar.url, "GET", `/anomalies/${pending.id}`)).json.state).toBe("pending");
    expect(metricValue(await (await fetch(`${sidecar.url}/metrics`)).text(), 'mocks3_anomaly_memory_bytes{service="queue-service"}') ?? 0).toBe(0);
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
