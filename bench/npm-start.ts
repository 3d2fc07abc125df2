/**
 * `npm start` as a user runs it: spawned in a process group of its own on free ports and a
 * fresh data directory, timed until every service's /health answers 200, then left at rest
 * for a few seconds and weighed — the RSS of every process of the group (npm itself, the
 * stack's Node process, workerd, the anomalies sidecar, anything else left running). Ended
 * with SIGINT, as Ctrl-C would; the group is killed if it is still there after that.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SERVICES } from "../sidecars/stack/services";
import { processGroup, rssByExecutable } from "./proc-tree";

const READY_TIMEOUT_MS = 120_000;
const REST_MS = 10_000;
const STOP_WAIT_MS = 20_000;
/** every service's port, above MOCKS3_PORT (the front door's) */
const SERVICE_OFFSETS = SERVICES.flatMap((service) => (service.portOffset === undefined ? [] : [service.portOffset]));

export interface StartResult {
  /** from spawning `npm start` to every /health answering 200 */
  readySeconds: number;
  /** the group's RSS after REST_MS at rest */
  restBytes: number;
  /** RSS by executable name, e.g. { npm: …, node: …, workerd: … } */
  restByProcess: Record<string, number>;
  error?: string;
}

export async function measureNpmStart(root: string, basePort: number): Promise<StartResult> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "mocks3-bench-start-"));
  const env = { ...process.env, MOCKS3_PORT: String(basePort), MOCKS3_DATA_DIR: dataDir, MOCKS3_LOG_STDOUT: "false" };
  const started = performance.now();
  const child = spawn("npm", ["start", "--silent"], { cwd: root, env, detached: true, stdio: "ignore" });
  const group = child.pid!;
  try {
    const ready = await waitForHealth(basePort, () => child.exitCode !== null);
    if (!ready) return { readySeconds: Number.NaN, restBytes: Number.NaN, restByProcess: {}, error: child.exitCode !== null ? `npm start exited (${child.exitCode})` : "not ready in time" };
    const readySeconds = (performance.now() - started) / 1000;
    await sleep(REST_MS);
    const restByProcess = rssByExecutable(processGroup(group));
    const restBytes = Object.values(restByProcess).reduce((a, b) => a + b, 0);
    return { readySeconds, restBytes, restByProcess };
  } finally {
    await stopGroup(group);
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function waitForHealth(basePort: number, exited: () => boolean): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  const pending = new Set(SERVICE_OFFSETS);
  while (Date.now() < deadline && !exited()) {
    for (const offset of [...pending]) {
      const answer = await fetch(`http://127.0.0.1:${basePort + offset}/health`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
      if (answer) await answer.body?.cancel();
      if (answer?.status === 200) pending.delete(offset);
    }
    if (pending.size === 0) return true;
    await sleep(25);
  }
  return false;
}

async function stopGroup(group: number): Promise<void> {
  signalGroup(group, "SIGINT");
  const deadline = Date.now() + STOP_WAIT_MS;
  while (Date.now() < deadline && processGroup(group).length > 0) await sleep(100);
  if (processGroup(group).length > 0) signalGroup(group, "SIGKILL");
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // the group is gone
  }
}
