/**
 * Running one anomaly module directly, as the sidecar's runner would: a context against a
 * stack of the test's own, an AbortController for its end, and every value it reports.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import { S3Client } from "@aws-sdk/client-s3";
import { anomalyInput } from "../../shared/anomalies/anomaly";
import type { ServiceStates } from "../../shared/faults/service-states";
import type { AnomalyContext, AnomalyModule } from "../../sidecars/anomalies/anomaly-module";
import type { Caps } from "../../sidecars/anomalies/caps";
import { DEFAULT_KEY } from "./credentials";
import type { StackProcess } from "./stack-process";

export const TEST_CAPS: Caps = {
  maxCpuPercent: 100,
  maxMemoryBytes: 256 * 1024 * 1024,
  maxDiskBytes: 256 * 1024 * 1024,
  minFreeDiskBytes: 1024 * 1024 * 1024,
  maxConnections: 256,
  maxDurationMs: 600_000,
};

export interface RunningAnomaly {
  ctx: AnomalyContext;
  reports: number[];
  /** run's promise, settled once the module has undone everything */
  done: Promise<void>;
  /** aborts the anomaly (its end) and waits for the module to finish */
  stop(): Promise<void>;
}

let counter = 0;
const running = new Set<RunningAnomaly>();

/** Stops every anomaly a test left running (a failed assertion skips its `stop`). */
export async function stopAnomalies(): Promise<void> {
  await Promise.allSettled([...running].map((anomaly) => anomaly.stop()));
}

/** Starts `module` on `stack` with the seed's fields in `spec` (checked by the API's schema). */
export function startAnomaly(
  module: AnomalyModule,
  stack: Pick<StackProcess, "services" | "dataDir">,
  spec: Record<string, unknown>,
  options: { caps?: Partial<Caps>; services?: Record<string, string> } = {},
): RunningAnomaly {
  const controller = new AbortController();
  const reports: number[] = [];
  const ctx: AnomalyContext = {
    id: `test-anomaly-${process.pid}-${++counter}`,
    spec: anomalyInput.parse({ name: "test anomaly", duration: "5m", enabled: true, ...spec }),
    caps: { ...TEST_CAPS, ...options.caps },
    signal: controller.signal,
    report: (actual) => reports.push(actual),
    hold: () => undefined,
    note: () => undefined,
    dataDir: stack.dataDir,
    services: options.services ?? stack.services,
    mockErrorUrl: stack.services["mock-error-service"]!,
  };
  const done = module.run(ctx);
  done.catch(() => undefined); // observed by the test through `done` or `stop`
  const anomaly: RunningAnomaly = {
    ctx,
    reports,
    done,
    async stop() {
      controller.abort();
      running.delete(anomaly);
      await done;
    },
  };
  running.add(anomaly);
  return anomaly;
}

/** Polls `check` until it returns a truthy value (which it returns), or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An S3 client that opens a connection per request. workerd closes a connection idle for 5 s
 * without saying so beforehand (no Keep-Alive header), and a kept-alive client that reuses it
 * just then gets "socket hang up"; these tests sit idle while ballast is written or a service
 * is down, so they must never reuse one. No retries: each answer is the one asserted.
 */
export function s3WithoutKeepAlive(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: DEFAULT_KEY,
    maxAttempts: 1,
    requestHandler: { httpAgent: new http.Agent({ keepAlive: false }) },
  });
}

/** fetch on a connection of its own, for the same reason (undici's pool would reuse one). */
export function fetchFresh(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), connection: "close" } });
}

export async function serviceStates(stack: Pick<StackProcess, "services">): Promise<ServiceStates> {
  return (await (await fetchFresh(`${stack.services["mock-error-service"]}/api/v1/internal/states`)).json()) as ServiceStates;
}

/** Calls mock-error-service's internal states API. */
export async function statesApi(stack: Pick<StackProcess, "services">, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetchFresh(`${stack.services["mock-error-service"]}/api/v1/internal/states${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}

/** TCP connections to `port` on this machine that are established, counted at the client's end (/proc/net/tcp*). */
export async function establishedTo(port: number): Promise<number> {
  let count = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4) continue;
      const remotePort = Number.parseInt(fields[2]!.split(":").pop()!, 16);
      if (remotePort === port && fields[3] === "01") count++;
    }
  }
  return count;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
