/**
 * The anomalies sidecar (sidecars/anomalies/main.ts) as a child of the stack.
 *
 * - One Node process: `node .build/node/anomalies.mjs` under `npm start` (compiled ahead,
 *   see start.mjs), else `node --import tsx …`, never the tsx CLI (which would put a second
 *   process in between): its pid is the process that holds the anomalies' threads and
 *   memory, so a kill reaches them, and /proc/<pid> shows them.
 * - An IPC channel: when the stack dies, even by SIGKILL, the channel closes and the
 *   sidecar cancels its anomalies and ends.
 * - Started after the workers (its start-up cleaning may call mock-error-service) and
 *   restarted when it dies unexpectedly, after 0.5 s, doubling up to 30 s while it keeps
 *   dying; a restarted sidecar cleans what the dead one left before it serves.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { SidecarToStack, StackToSidecar } from "../../shared/telemetry/sidecar-messages";
import type { StackConfig } from "./config";
import { ROOT } from "./miniflare-options";

/** How to run the sidecar: its bundle beside the stack's when the stack runs bundled, else its source. */
const MAIN_ARGS = path.extname(import.meta.filename) === ".mjs" ? [path.join(import.meta.dirname, "anomalies.mjs")] : ["--import", "tsx", "sidecars/anomalies/main.ts"];
/** A small heap, collected once started (collect-start-up.ts): the sidecar idles most of the time, and its RSS is counted. */
const NODE_FLAGS = ["--max-semi-space-size=1", "--max-old-space-size=96", "--v8-pool-size=1", "--expose-gc"];
const FIRST_RESTART_MS = 500;
const LAST_RESTART_MS = 30_000;
/** a sidecar that ran this long before dying is restarted after the first delay again */
const STABLE_MS = 60_000;
const STOP_WAIT_MS = 15_000;

export interface AnomalySidecar {
  url: string;
  pid(): number | undefined;
  /** Hands a message to the sidecar; false when no sidecar is there to take it. */
  send(message: StackToSidecar): boolean;
  close(): Promise<void>;
}

export interface SidecarOptions {
  config: StackConfig;
  /** the sidecar's URL, as the workers reach it */
  url: string;
  /** every service's base URL by name */
  services: Record<string, string>;
  /** the front door's control channel (service_down's refuse mode), secret included */
  frontDoorControl: string;
  /** told of each new sidecar process (the stack records it for leftovers.ts) */
  onStart(pid: number): void;
  /** the sidecar's own log lines (anomaly events) */
  onLog(line: string): void;
}

export async function startAnomalySidecar(options: SidecarOptions): Promise<AnomalySidecar> {
  let child: ChildProcess | undefined;
  let closing = false;
  let restartDelay = FIRST_RESTART_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  function launch(): ChildProcess {
    const started = Date.now();
    const spawned = spawn(process.execPath, [...NODE_FLAGS, ...MAIN_ARGS], { cwd: ROOT, env: sidecarEnv(options), stdio: ["ignore", "inherit", "inherit", "ipc"] });
    spawned.once("exit", (code, signal) => {
      if (closing || child !== spawned) return;
      restartDelay = Date.now() - started > STABLE_MS ? FIRST_RESTART_MS : restartDelay;
      console.error(`anomalies sidecar (pid ${spawned.pid}) exited (${signal ?? `code ${code}`}); restarting in ${restartDelay} ms`);
      restartTimer = setTimeout(() => {
        if (!closing) child = launch();
      }, restartDelay);
      restartDelay = Math.min(LAST_RESTART_MS, restartDelay * 2);
    });
    spawned.on("message", (message: SidecarToStack) => {
      if (message?.type === "log" && typeof message.line === "string") options.onLog(message.line);
    });
    if (spawned.pid !== undefined) options.onStart(spawned.pid);
    return spawned;
  }

  child = launch();
  const sidecar: AnomalySidecar = {
    url: options.url,
    pid: () => child?.pid,
    send(message) {
      if (!child?.connected) return false;
      // A sidecar that has just died can still look connected until its exit is read; the
      // write then fails (EPIPE), which without this callback would be an unhandled 'error'
      // event that ends the stack. The message is lost with that sidecar; its replacement
      // starts afresh.
      child.send(message, (error) => {
        if (error) console.error(`anomalies sidecar: a message was lost with the sidecar (${error.message})`);
      });
      return true;
    },
    async close() {
      closing = true;
      clearTimeout(restartTimer);
      if (child) await stopChild(child);
    },
  };
  try {
    await waitUntilHealthy(options.url, () => child!);
  } catch (error) {
    await sidecar.close();
    throw error;
  }
  return sidecar;
}

function sidecarEnv({ config, services, frontDoorControl }: SidecarOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    MOCKS3_DATA_DIR: config.dataDir,
    MOCKS3_PORT: String(config.basePort),
    MOCKS3_ANOMALY_PORT: String(config.anomalyPort),
    MOCKS3_ANOMALY_HOST: config.host,
    MOCKS3_ANOMALY_SERVICES: JSON.stringify(services),
    MOCKS3_FRONT_DOOR_CONTROL: frontDoorControl,
  };
}

async function waitUntilHealthy(url: string, current: () => ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const child = current();
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the anomalies sidecar exited (${child.signalCode ?? `code ${child.exitCode}`}) before it served`);
    if (Date.now() > deadline) throw new Error(`the anomalies sidecar did not answer ${url}/health within 30 s`);
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** SIGTERM (it cancels its anomalies first), SIGKILL if it does not end in time. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), STOP_WAIT_MS);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
