/**
 * The anomalies sidecar alone (no workers), from its source — `node --import tsx
 * sidecars/anomalies/main.ts` — on its own port and data directory, for tests that only need
 * the sidecar. Its services point at loopback ports nobody listens on.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePortRange } from "./ports";
import { scratchDir } from "./scratch-dir";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface SidecarProcess {
  url: string;
  pid: number;
  dataDir: string;
  output(): string;
  /** SIGTERM: it cancels what runs, then exits */
  stop(): Promise<void>;
  /** SIGKILL: nothing is released by the sidecar itself */
  kill(): Promise<void>;
}

export interface SidecarOptions {
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
  /** run the compiled sidecar that `npm start` runs (.build/node/anomalies.mjs, made by the suite's stack) instead of its source */
  compiled?: boolean;
}

export async function startSidecarProcess(options: SidecarOptions = {}): Promise<SidecarProcess> {
  const dataDir = options.dataDir ?? (await scratchDir("mocks3-sidecar"));
  const base = options.port === undefined ? await freePortRange(11) : options.port - 10;
  const entry = options.compiled ? [".build/node/anomalies.mjs"] : ["--import", "tsx", "sidecars/anomalies/main.ts"];
  const child = spawn(process.execPath, entry, {
    cwd: ROOT,
    env: { ...process.env, ...options.env, MOCKS3_PORT: String(base), MOCKS3_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${base + 10}`;
  const sidecar: SidecarProcess = {
    url,
    pid: child.pid!,
    dataDir,
    output: () => output,
    stop: () => end(child, "SIGTERM"),
    kill: () => end(child, "SIGKILL"),
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await sidecar.kill();
    throw error;
  }
  return sidecar;
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sidecar exited with ${child.exitCode}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`sidecar did not become healthy:\n${output()}`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill(signal);
  });
}

/** The sidecar's API: status and parsed JSON. */
export async function sidecarApi(url: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** One sample's value from Prometheus text, e.g. metricValue(text, 'mocks3_anomaly_memory_bytes{service="gateway"}'). */
export function metricValue(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
