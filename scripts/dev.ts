/**
 * `npm run dev`: MockS3's workers under `wrangler dev`, for quick iteration (wrangler rebuilds
 * and reloads a worker when its source changes), every service on its own loopback port as
 * under `npm start`: MOCKS3_PORT (8080) the gateway, +1 metadata-service … +5
 * mock-error-service. Ctrl-C stops everything.
 *
 * What wrangler 4 offers offline, and why this shape. One `wrangler dev` with several configs
 * runs the workers in one workerd, as MockS3 needs: the buckets (Durable Objects) produce the
 * queue messages that queue-service consumes, and Queues do not cross dev sessions. But only
 * the first config, the primary, gets a port; the others answer only through bindings. Every
 * worker of a session is entered in wrangler's dev registry (a folder of files naming the
 * workerd that runs it), through which another local session binds it by name. So a small
 * Miniflare beside wrangler holds one forwarding worker per other service, each listening on
 * that service's port with a service binding to it. The registry is this run's own folder
 * (WRANGLER_REGISTRY_PATH): neither side binds another developer's workers of the same name.
 *
 * Nothing of `npm start`'s Node side runs, and the wrangler configs point at none of its
 * sockets: no front door (no 100 Continue, client address or connection reset), no anomalies
 * sidecar, no search index — the metric anomaly API, /api/v1/search and /api/v1/dead-letters
 * answer 503 (shared/sidecar-absent.ts), and notifications are delivered but not indexed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { SERVICES } from "../sidecars/stack/services";
import { guardWorkerd, withParentDeathSignal } from "../sidecars/stack/workerd-guard";
import { toolArgs, usageError } from "./ops/cli";

const USAGE = `usage: npm run dev [-- --help]
  Runs MockS3's workers under wrangler dev, each service on its own port on 127.0.0.1:
  MOCKS3_PORT (default 8080) the gateway (S3 API), +1 metadata-service, +2 storage-service,
  +3 queue-service, +4 third-party-service, +5 mock-error-service (the fault API). Prints the
  ports once every service's /health answers; Ctrl-C stops everything. State is kept in
  .wrangler/state. No sidecars run: the metric anomaly API, search and dead letters answer
  503 (npm start runs them), and there is no front door.`;

const ROOT = path.resolve(import.meta.dirname, "..");
const HOST = "127.0.0.1";
const START_LIMIT_MS = 180_000;
const FORWARDER = "export default { fetch: (request, env) => env.SERVICE.fetch(request) };";

interface Port {
  name: string;
  port: number;
}

toolArgs(USAGE, {});
const base = basePort(process.env.MOCKS3_PORT);
const ports: Port[] = SERVICES.flatMap((s) => (s.portOffset === undefined ? [] : [{ name: s.name, port: base + s.portOffset }]));
await refuseTakenPorts(ports);
// workerd, wrangler's and the forwarders', dies with its parent however that dies
guardWorkerd();
const registry = await mkdtemp(path.join(os.tmpdir(), "mocks3-dev-registry-"));
const wrangler = startWrangler(base, registry);
let forwarders: Miniflare | undefined;
let stopping = false;

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(signal === "SIGINT" ? 130 : 143));
// however this process exits (Miniflare's own signal handler exits at once, before stop() is
// through): wrangler is told to stop, and the registry goes
process.on("exit", () => {
  if (wrangler.exitCode === null && wrangler.signalCode === null) wrangler.kill("SIGTERM");
  rmSync(registry, { recursive: true, force: true });
});
wrangler.once("exit", (code, signal) => {
  if (!stopping) console.error(`wrangler dev ended (${signal ?? `exit ${code}`}); stopping`);
  void stop(code ?? 1);
});

try {
  const [gateway, ...others] = ports;
  await healthy(gateway!);
  forwarders = startForwarders(others, registry);
  await forwarders.ready;
  await Promise.all(others.map(healthy));
  printPorts();
} catch (error) {
  console.error(`npm run dev: ${(error as Error).message}`);
  await stop(1);
}

function basePort(value: string | undefined): number {
  const port = Number(value ?? "8080");
  if (!Number.isInteger(port) || port < 1 || port > 65530) usageError(USAGE, `MOCKS3_PORT must be a port number, got ${JSON.stringify(value)}`);
  return port;
}

async function refuseTakenPorts(wanted: Port[]): Promise<void> {
  const taken = (await Promise.all(wanted.map(async (p) => ((await isFree(p.port)) ? undefined : p)))).filter((p) => p !== undefined);
  if (taken.length === 0) return;
  console.error(`npm run dev: port ${taken.map((p) => `${p.port} (${p.name})`).join(", ")} already in use — is npm start running? Another base port: MOCKS3_PORT=${base + 1000} npm run dev`);
  process.exit(1);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** Every worker in one session, the gateway first (the one wrangler gives a port). */
function startWrangler(port: number, registryPath: string): ChildProcess {
  const bin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  const configs = SERVICES.flatMap((s) => ["-c", s.config]);
  const args = [bin, "dev", ...configs, "--ip", HOST, "--port", String(port), "--persist-to", ".wrangler/state"];
  const [command, commandArgs] = withParentDeathSignal("SIGTERM", process.execPath, args);
  return spawn(command, commandArgs, {
    cwd: ROOT,
    stdio: "inherit",
    // offline: no usage metrics sent, no Request.cf fetched from the internet
    env: { ...process.env, WRANGLER_REGISTRY_PATH: registryPath, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
}

/** One worker per service beside the gateway, on its port, bound to it through the dev registry. */
function startForwarders(services: Port[], registryPath: string): Miniflare {
  return new Miniflare({
    host: HOST,
    port: 0, // Miniflare's own entry socket; unused, every forwarder has its own
    cf: false,
    log: new Log(LogLevel.WARN),
    unsafeDevRegistryPath: registryPath,
    workers: services.map(({ name, port }) => ({
      name: `mocks3-dev-port-${name}`,
      modules: true,
      script: FORWARDER,
      compatibilityDate: "2026-04-20",
      serviceBindings: { SERVICE: name },
      unsafeDirectSockets: [{ host: HOST, port }],
    })),
  });
}

async function healthy({ name, port }: Port): Promise<void> {
  const deadline = Date.now() + START_LIMIT_MS;
  while (Date.now() < deadline) {
    if (stopping) throw new Error("stopped while starting");
    const answer = await fetch(`http://${HOST}:${port}/health`, { signal: AbortSignal.timeout(5_000) }).catch(() => undefined);
    await answer?.body?.cancel();
    if (answer?.ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer /health on port ${port} within ${START_LIMIT_MS / 1000} s`);
}

function printPorts(): void {
  const lines = ports.map(({ name, port }) => `  ${name.padEnd(20)} http://${HOST}:${port}`);
  console.log(
    [
      "",
      "MockS3 under wrangler dev — every service on its own port:",
      ...lines,
      "Not here (npm start runs them): the front door, the metric anomaly API, search and dead",
      "letters (503). Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await forwarders?.dispose().catch(() => undefined);
  if (wrangler.exitCode === null && wrangler.signalCode === null) {
    wrangler.kill("SIGTERM");
    const killer = setTimeout(() => wrangler.kill("SIGKILL"), 10_000);
    await new Promise((resolve) => wrangler.once("exit", resolve));
    clearTimeout(killer);
  }
  await rm(registry, { recursive: true, force: true });
  process.exit(code);
}
