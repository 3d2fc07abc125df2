/**
 * Runs the real stack (`npm start`'s entry point) as a child process for tests: its own
 * ports and data directory, stopped with SIGTERM (SIGKILL if it hangs).
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePortRange } from "./ports";
import { processTree } from "./proc";
import { scratchDir } from "./scratch-dir";
import { startCommand } from "./start-command";

const ROOT = path.resolve(import.meta.dirname, "../..");
const START = startCommand();
/** what `npm start` runs (package.json), minus npm itself: Node's arguments, and the variables it sets */
export const START_ARGS = [...START.nodeFlags, START.entry];
export const START_ENV = START.env;

export const SERVICE_NAMES = ["gateway", "metadata-service", "storage-service", "queue-service", "third-party-service", "mock-error-service"] as const;

export interface StackProcess {
  endpoint: string;
  /** service name → base URL */
  services: Record<string, string>;
  /** the anomalies sidecar (port + 10) */
  anomalies: string;
  dataDir: string;
  port: number;
  /** the stack's Node process (workerd and the sidecar are its children) */
  pid: number;
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL to every process of the stack at once (its Node process, workerd, the sidecar), as a crash or an OOM kill would */
  kill(): Promise<void>;
}

export interface StackOptions {
  dataDir?: string;
  port?: number;
  env?: Record<string, string>;
}

export async function startStackProcess(options: StackOptions = {}): Promise<StackProcess> {
  const dataDir = options.dataDir ?? (await scratchDir("mocks3-test"));
  // the six services, then the anomalies sidecar at +10
  const port = options.port ?? (await freePortRange(11));
  const child = spawn(process.execPath, START_ARGS, {
    cwd: ROOT,
    // the structured log stays in its file: a test reads output() for start-up failures
    env: { ...process.env, ...START_ENV, MOCKS3_LOG_STDOUT: "false", ...options.env, MOCKS3_PORT: String(port), MOCKS3_DATA_DIR: dataDir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const services = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, `http://127.0.0.1:${port + i}`]));
  const anomalies = `http://127.0.0.1:${port + 10}`;
  const stack: StackProcess = {
    endpoint: services.gateway!,
    services,
    anomalies,
    dataDir,
    port,
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child),
    kill: () => killTree(child),
  };
  try {
    await waitForHealth([...Object.values(services), anomalies], child, () => output);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

async function waitForHealth(urls: string[], child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (const url of urls) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`stack exited with ${child.exitCode}:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`stack did not become healthy:\n${output()}`);
      const ok = await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function killTree(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  for (const pid of processTree(child.pid!)) process.kill(pid, "SIGKILL");
  await exited;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
