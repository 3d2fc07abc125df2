/**
 * Logs and metrics of a stack of the test's own (exact counts, no other test's traffic):
 * every log line in <data>/logs/mocks3.log parses as JSON; a request's line carries its
 * operation, bucket, status, request id and the caller's trace id; an injected fault and an
 * anomaly are lines of their own; the sidecar's /metrics counts the same requests and
 * injections, and reports the bucket's objects and bytes; `npm run logs` prints and follows.
 */
import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/anomalies";
import { addRule, deleteRule } from "../helpers/faults";
import { logLines } from "../helpers/log-file";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const PUTS = 7;

let stack: StackProcess;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_AUTH: "off" } });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

function s3(method: string, target: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${stack.endpoint}/${target}`, { method, ...init });
}

async function metric(name: string, labels: Record<string, string>): Promise<number | undefined> {
  const text = await (await fetch(`${stack.anomalies}/metrics`)).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split("\n").find((l) => l.startsWith(`${name}{`) && wanted.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

describe("structured logs and the metrics made from them", () => {
  it("one JSON line per request, with operation, bucket, status, request id and trace id", async () => {
    expect((await s3("PUT", "telemetry")).status).toBe(200);
    const put = await s3("PUT", "telemetry/first.txt", { body: "hello telemetry", headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` } });
    expect(put.status).toBe(200);
    const requestId = put.headers.get("x-amz-request-id");
    const line = await waitFor("the PutObject's log line", async () => (await logLines(stack.dataDir)).find((l) => l.kind === "request" && l.request_id === requestId));
    expect(line).toMatchObject({ kind: "request", service: "gateway", operation: "PutObject", method: "PUT", bucket: "telemetry", status: 200, bytes_in: 15, trace_id: TRACE_ID });
    expect(typeof line["@timestamp"]).toBe("string");
    expect(Number.isNaN(Date.parse(line["@timestamp"]))).toBe(false);
    // a control API's request is a line too, named by its route
    await fetch(`${stack.services["mock-error-service"]}/api/v1/rules/no-such-rule`);
    await waitFor("the control API's line", async () =>
      (await logLines(stack.dataDir)).find((l) => l.kind === "request" && l.service === "mock-error-service" && l.operation === "/api/v1/rules/:id" && l.status === 404),
    );
  });

  it("an injected fault: a fault line and the request's line name the rule; /metrics counts both", async () => {
    const rules = stack.services["mock-error-service"];
    const conditions = [
      { type: "operation", value: "GetObject" },
      { type: "bucket", value: "telemetry" },
      { type: "max_injections", value: 2 },
    ];
    const rule = await addRule({ name: "telemetry-503", service: "gateway", conditions, action: { type: "http_error", http_code: 503 } }, rules);
    try {
      for (let i = 0; i < PUTS; i++) expect((await s3("PUT", `telemetry/object-${i}`, { body: "x".repeat(100) })).status).toBe(200);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await s3("GET", "telemetry/first.txt")).status);
      expect(statuses).toEqual([503, 503, 200]);
      const lines = await waitFor("two fault lines", async () => {
        const faults = (await logLines(stack.dataDir)).filter((l) => l.kind === "fault");
        return faults.length === 2 ? faults : undefined;
      });
      expect(lines[0]).toMatchObject({
        service: "gateway",
        operation: "GetObject",
        bucket: "telemetry",
        key: "first.txt",
        fault_rule: "telemetry-503",
        fault_rule_id: rule.id,
        fault_action: "http_error",
      });
      const failed = (await logLines(stack.dataDir)).filter((l) => l.kind === "request" && l.status === 503);
      expect(failed.map((l) => l.kind === "request" && [l.fault_rule_id, l.fault_action])).toEqual([
        [rule.id, "http_error"],
        [rule.id, "http_error"],
      ]);

      // lines reach the sidecar in batches: wait for the last request's too
      await waitFor(
        "the injections and the last GET on /metrics",
        async () =>
          (await metric("mocks3_fault_injections_total", { rule: "telemetry-503" })) === 2 &&
          (await metric("http_requests_total", { service: "gateway", operation: "GetObject", status: "200" })) === 1,
      );
      expect(await metric("http_requests_total", { service: "gateway", operation: "PutObject", status: "200" })).toBe(PUTS + 1);
      expect(await metric("http_requests_total", { service: "gateway", operation: "GetObject", status: "503" })).toBe(2);
      expect(await metric("http_requests_total", { service: "gateway", operation: "GetObject", status: "200" })).toBe(1);
      expect(await metric("http_request_duration_seconds_count", { service: "gateway", operation: "PutObject" })).toBe(PUTS + 1);
      expect(await metric("http_request_bytes_total", { service: "gateway", operation: "PutObject" })).toBe(15 + PUTS * 100);
      expect(await metric("http_response_bytes_total", { service: "gateway", operation: "GetObject" })).toBe(15);
      expect(await metric("mocks3_bucket_objects", { bucket: "telemetry" })).toBe(PUTS + 1);
      expect(await metric("mocks3_bucket_bytes", { bucket: "telemetry" })).toBe(15 + PUTS * 100);
      expect(await metric("mocks3_fault_rules", { state: "enabled" })).toBe(1);
      expect(await metric("mocks3_storage_node_up", { node: "node-0" })).toBe(1);
      expect(await metric("mocks3_process_resident_memory_bytes", { process: "workerd" })).toBeGreaterThan(10 * 1024 * 1024);
    } finally {
      await deleteRule(rule.id, rules);
    }
  });

  it("an anomaly's start and end are log lines", async () => {
    const started = await fetch(`${stack.services["mock-error-service"]}/api/v1/metric-anomaly`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "telemetry-down", service: "queue-service", metric_name: "service_up", anomaly_type: "service_down", target_value: 0, duration: "1s", enabled: true }),
    });
    expect(started.status).toBeLessThan(300);
    const lines = await waitFor("the anomaly's lines", async () => {
      const found = (await logLines(stack.dataDir)).filter((l) => l.kind === "anomaly" && l.anomaly_name === "telemetry-down");
      return found.length === 2 ? found : undefined;
    });
    expect(lines.map((l) => l.kind === "anomaly" && l.state)).toEqual(["running", "completed"]);
    expect(lines[0]).toMatchObject({ service: "queue-service", anomaly_type: "service_down", metric: "service_up", target_value: 0 });
  });

  it("npm run logs prints the last lines of a service, then follows new ones", async () => {
    const env = { ...process.env, MOCKS3_DATA_DIR: stack.dataDir, MOCKS3_PORT: String(stack.port) };
    const ids: Array<string | null> = [];
    for (let i = 0; i < 3; i++) ids.push((await s3("HEAD", `telemetry/object-${i}`)).headers.get("x-amz-request-id"));
    // the log file is written as the stack reads workerd's output: wait for the three lines
    await waitFor("the HEADs' log lines", async () => {
      const logged = new Set((await logLines(stack.dataDir)).flatMap((l) => (l.kind === "request" ? [l.request_id] : [])));
      return ids.every((id) => id !== null && logged.has(id));
    });
    const { stdout } = await promisify(execFile)("npm", ["run", "--silent", "logs", "--", "gateway", "--no-follow", "--lines", "5"], { env, timeout: 30_000 });
    const printed = stdout.trim().split("\n");
    expect(printed).toHaveLength(5);
    for (const line of printed) expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} gateway (GET|PUT|HEAD) \S+ /);
    for (const id of ids) expect(printed.find((line) => line.includes(`id=${id}`))).toMatch(/ gateway HEAD HeadObject telemetry 200 \d+ms id=/);

    const follower = spawn("npm", ["run", "--silent", "logs", "--", "metadata", "--lines", "0", "--json"], { env, detached: true });
    try {
      let out = "";
      follower.stdout.on("data", (d) => (out += d));
      // requests until the follower, however long it takes to start, prints one of them
      const line = await waitFor(
        "the followed line",
        async () => {
          expect((await fetch(`${stack.services["metadata-service"]}/api/v1/buckets`)).status).toBe(200);
          await new Promise((resolve) => setTimeout(resolve, 300)); // the poll's pace: one request per turn
          return out.split("\n").find((l) => l.includes('"/api/v1/buckets"'));
        },
        30_000,
      );
      expect(JSON.parse(line)).toMatchObject({ kind: "request", service: "metadata-service", status: 200 });
    } finally {
      process.kill(-follower.pid!, "SIGTERM");
    }
  });
});
