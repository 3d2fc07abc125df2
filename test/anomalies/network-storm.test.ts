/**
 * network_storm, run directly (sidecars/anomalies/types/network-storm.ts) against a stack of its
 * own, so that no other test's traffic moves the latencies compared. Connections are counted
 * by the kernel (/proc/net/tcp), not only by the module; the latency comparison is of
 * medians and generous (the machine has two cores and other work running).
 */
import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { networkStorm } from "../../sidecars/anomalies/types/network-storm";
import { establishedTo, median, startAnomaly, stopAnomalies, waitFor } from "../helpers/anomalies";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess();
}, 90_000);

afterEach(stopAnomalies);

afterAll(async () => {
  await stack?.stop();
});

/** Latencies (ms) of `count` GET /health in a row on one kept-alive connection. */
async function healthLatencies(base: string, count: number): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) => {
        http.get(`${base}/health`, { agent }, (response) => response.on("end", resolve).on("error", reject).resume()).on("error", reject);
      });
      latencies.push(performance.now() - started);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

const storm = (target_value: number, service = "gateway") => ({ service, anomaly_type: "network_storm", metric_name: "network_connections", target_value });

describe("network_storm", () => {
  it("holds the target's connections to the gateway, its latency rises while it still answers, and every connection is closed at the end", async () => {
    const port = Number(new URL(stack.endpoint).port);
    const before = median(await healthLatencies(stack.endpoint, 40));
    const connectionsBefore = await establishedTo(port);

    const anomaly = startAnomaly(networkStorm, stack, storm(64));
    await waitFor("64 connections", () => anomaly.reports.some((n) => n >= 64), 20_000);
    expect(await establishedTo(port)).toBeGreaterThanOrEqual(connectionsBefore + 60);
    const during = median(await healthLatencies(stack.endpoint, 40));

    await anomaly.stop();
    expect(anomaly.reports.at(-1)).toBe(0);
    expect(Math.max(...anomaly.reports)).toBe(64);
    expect(during).toBeGreaterThan(before * 2);
    await waitFor("the connections to close", async () => (await establishedTo(port)) <= connectionsBefore, 5_000);
  });

  it("clamps the connections to caps.maxConnections", async () => {
    const anomaly = startAnomaly(networkStorm, stack, storm(500, "metadata-service"), { caps: { maxConnections: 16 } });
    await waitFor("16 connections", () => anomaly.reports.some((n) => n >= 16), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 600));
    await anomaly.stop();
    expect(Math.max(...anomaly.reports)).toBe(16);
  });

  it("refuses a target that is not on loopback", async () => {
    const anomaly = startAnomaly(networkStorm, stack, storm(8), { services: { ...stack.services, gateway: "http://192.0.2.10:8080" } });
    await expect(anomaly.done).rejects.toThrow(/loopback only/);
  });
});
