/**
 * Miniflare options for the whole stack, from the workers' manifest (worker-manifest.ts:
 * bundles and options derived from the wrangler configs, the single source of truth for
 * bindings, as for `wrangler dev`): each worker gets its bundle, its MOCKS3_* variables
 * from the environment, and its own direct workerd socket — never wrangler's dev proxy,
 * which costs two thirds of the throughput.
 *
 * Only the services' sockets (MOCKS3_PORT+1 … +5) bind where MOCKS3_HOST says. Miniflare's
 * own sockets (its entry socket, its loopback server in this process, the inspector) and the
 * gateway's socket behind the front door stay on loopback whatever MOCKS3_HOST says: the
 * gateway believes the front door's `x-mocks3-client-address`, and Miniflare's loopback
 * server would run what any caller asks (`/browser/launch` downloads and starts Chrome).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Log, LogLevel, type MiniflareOptions, type WorkerOptions } from "miniflare";
import type { StackConfig } from "./config";
import { SERVICES, type ServiceDef } from "./services";
import { workerManifest, type WorkerManifest } from "./worker-manifest";

export const ROOT = path.resolve(import.meta.dirname, "../..");
/** who reaches the blob files: the storage nodes (hosted with every Durable Object) and the gateway */
const BLOB_FILE_USERS = ["mocks3-durable-objects", "gateway"];
/** where every socket but the services' binds */
const INTERNAL_HOST = "127.0.0.1";

export async function miniflareOptions(config: StackConfig): Promise<MiniflareOptions> {
  const manifest = await workerManifest(ROOT);
  const workers = await Promise.all(SERVICES.map((service) => workerOptions(service, manifest, config)));
  return {
    host: INTERNAL_HOST,
    port: 0, // Miniflare's own entry socket; unused, every worker has a direct socket
    inspectorHost: INTERNAL_HOST,
    cf: false, // never fetch Request.cf from the internet at start-up
    defaultPersistRoot: path.join(config.dataDir, "state"),
    log: new Log(LogLevel.WARN),
    inspectorPort: config.inspectorPort,
    workers,
  };
}

async function workerOptions(service: ServiceDef, manifest: WorkerManifest, config: StackConfig): Promise<WorkerOptions> {
  const built = manifest.workers.find((worker) => worker.name === service.name);
  if (!built) throw new Error(`the workers' manifest has no ${service.name}`);
  const workerOptions = built.options as Partial<WorkerOptions> & { bindings?: Record<string, unknown> };
  const scriptPath = path.join(ROOT, built.scriptPath);
  const bindings = { ...(workerOptions.bindings as Record<string, unknown>) };
  for (const name of Object.keys(bindings)) {
    const value = config.vars[name];
    if (value !== undefined) bindings[name] = value;
  }
  let serviceBindings = workerOptions.serviceBindings;
  if (BLOB_FILE_USERS.includes(service.name)) {
    // The storage nodes' chunk files (shared/blob-files.ts).
    const blobs = blobDirectory(config);
    await mkdir(blobs, { recursive: true });
    serviceBindings = { ...serviceBindings, BLOB_DISK: { disk: { path: blobs, writable: true } } };
  }
  const options = {
    ...workerOptions,
    serviceBindings,
    name: service.name,
    modules: true,
    scriptPath,
    // module names are relative to this root; without it they are relative to the cwd
    modulesRoot: path.dirname(scriptPath),
    modulesRules: undefined,
    bindings,
    // No worker uses the Cache API or sends CF-Connecting-IP on: without these, Miniflare
    // adds no helper workers (an isolate each, some 2–3 MiB) beside every worker.
    cache: false,
    stripCfConnectingIp: false,
  } as WorkerOptions;
  if (service.portOffset !== undefined) {
    // The gateway's socket is internal (an ephemeral port): clients reach it through the front door.
    const port = service.portOffset === 0 ? 0 : config.basePort + service.portOffset;
    options.unsafeDirectSockets = [{ host: service.portOffset === 0 ? INTERNAL_HOST : config.host, port }];
  }
  return options;
}

/** Where the storage nodes' chunk files live (shared/blob-files.ts). */
export function blobDirectory(config: { dataDir: string }): string {
  return path.join(config.dataDir, "blobs");
}
