/**
 * The seed's metric anomaly API on mock-error-service (8085), end to end through the stack
 * `npm start` runs: the worker checks and forwards to the anomalies sidecar it starts. On a
 * stack of its own: halt is global, and the seed's example runs as written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricValue, until } from "../helpers/anomaly-sidecar";
import { faultApi } from "../helpers/faults";
import { isRunning } from "../helpers/proc";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const MiB = 1024 * 1024;

/** The seed's example (platform-overview.zh.md, 第四步), byte for byte. */
const SEED_BODY = `{
    "name": "CPU压力测试",
    "service": "storage-service",
    "metric_name": "system_cpu_usage_percent",
    "anomaly_type": "cpu_spike",
    "target_value": 85.0,
    "duration": 120000000000,
    "enabled": true
  }`;

let stack: StackProcess;
let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

beforeAll(async () => {
  stack = await startStackProcess();
  api = (method, path, body) => faultApi(method, path, body, stack.services["mock-error-service"]);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

describe("metric anomalies on mock-error-service", () => {
  it("POST /api/v1/metric-anomaly › the seed's example as written answers 201 with id and state; DELETE cancels it", async () => {
    const created = await api("POST", "/metric-anomaly", SEED_BODY);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: expect.any(String), name: "CPU压力测试", anomaly_type: "cpu_spike", target_value: 85, duration: 120000000000, duration_ms: 120_000, state: "running" });
    const cancelled = await api("DELETE", `/metric-anomaly/${created.json.id}`);
    expect(cancelled).toMatchObject({ status: 200, json: { id: created.json.id, state: "cancelled" } });
    const read = await api("GET", `/metric-anomaly/${created.json.id}`);
    expect(read.json).toMatchObject({ state: "cancelled", ended_at: expect.any(String) });
  });

  it("GET /api/v1/metric-anomaly › lists them, under both names; an unknown id is 404", async () => {
    const one = await api("GET", "/metric-anomaly");
    const other = await api("GET", "/metric-anomalies");
    expect(one.status).toBe(200);
    expect(one.json.total).toBeGreaterThanOrEqual(1);
    expect(other.json).toEqual(one.json);
    expect((await api("GET", "/metric-anomaly/no-such-id")).status).toBe(404);
  });

  it("POST /api/v1/metric-anomaly › refuses with 400 and the reason: unknown type, wrong metric, target out of range, duration above the cap", async () => {
    const seed = JSON.parse(SEED_BODY);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...seed, anomaly_type: "cpu_melt" }, "unknown anomaly_type"],
      [{ ...seed, metric_name: "disk_usage_percent" }, "metric_name"],
      [{ ...seed, target_value: 120 }, "target_value"],
      [{ ...seed, duration: "1h" }, "MOCKS3_ANOMALY_MAX_DURATION_MS"],
    ];
    for (const [body, reason] of cases) {
      const answer = await api("POST", "/metric-anomaly", body);
      expect(answer, reason).toMatchObject({ status: 400, json: { error: "bad_request", reason: expect.stringContaining(reason) } });
    }
    expect((await api("POST", "/metric-anomaly", "{not json")).status).toBe(400);
  });

  it("POST /api/v1/halt › cancels every anomaly, running or pending, and counts them", { timeout: 30_000 }, async () => {
    const leak = { name: "leak", service: "metadata-service", metric_name: "memory_usage_bytes", anomaly_type: "memory_leak", target_value: 32 * MiB, duration: "60s" };
    const running = await api("POST", "/metric-anomaly", leak);
    const pending = await api("POST", "/metric-anomaly", { ...leak, service: "queue-service", enabled: false });
    expect([running.json.state, pending.json.state]).toEqual(["running", "pending"]);
    const halt = await api("POST", "/halt");
    expect(halt).toMatchObject({ status: 200, json: { halted_rules: expect.any(Number), halted_anomalies: 2 } });
    for (const { json } of [running, pending]) expect((await api("GET", `/metric-anomaly/${json.id}`)).json.state).toBe("cancelled");
    const metrics = await (await fetch(`${stack.anomalies}/metrics`)).text();
    expect(metricValue(metrics, 'mocks3_anomaly_memory_bytes{service="metadata-service"}')).toBe(0);
  });

  it("stack › a sidecar killed mid-anomaly is restarted; the new one runs nothing; meanwhile the API answers 503", { timeout: 60_000 }, async () => {
    const leak = { name: "leak", service: "gateway", metric_name: "memory_usage_bytes", anomaly_type: "memory_leak", target_value: 32 * MiB, duration: "60s" };
    const created = await api("POST", "/metric-anomaly", leak);
    expect(created.status).toBe(201);
    const { pid } = (await (await fetch(`${stack.anomalies}/health`)).json()) as { pid: number };
    // The stack restarts a dead sidecar after 0.5 s; its Node process is held (SIGSTOP) while
    // the API is asked, so that the answer is the one without a sidecar however slow the
    // machine. workerd answers on its own sockets meanwhile.
    process.kill(stack.pid, "SIGSTOP");
    try {
      process.kill(pid, "SIGKILL");
      await until("the sidecar to die", () => (isRunning(pid) ? undefined : true));
      const unreachable = await api("GET", "/metric-anomaly");
      expect(unreachable).toMatchObject({ status: 503, json: { error: "unavailable", reason: expect.stringContaining("cannot be reached") } });
    } finally {
      process.kill(stack.pid, "SIGCONT");
    }

    const health = await until(
      "a new sidecar",
      async () => {
        const answer = await fetch(`${stack.anomalies}/health`).then(
          (r) => r.json() as Promise<{ pid: number }>,
          () => undefined,
        );
        return answer && answer.pid !== pid ? answer : undefined;
      },
      30_000,
    );
    expect(health).toMatchObject({ status: "ok", running: 0, leftovers: "cleaned" });
    const read = await api("GET", `/metric-anomaly/${created.json.id}`);
    expect(read.json).toMatchObject({ state: "failed", message: expect.stringContaining(`pid ${pid}`) });
    expect(stack.output()).toContain(`anomalies sidecar (pid ${pid}) exited (SIGKILL); restarting`);
  });
});
