/**
 * The workers' bundles and Miniflare options, as build-workers.ts last recorded them. The
 * record carries a fingerprint of every source it came from (path, size and modification
 * time of each file the bundles and wrangler configs are made of, and the lockfile): a stack
 * whose sources have not changed since starts from it without bundling anything; otherwise
 * build-workers.ts runs first, in a child process, so that the stack's own process never
 * loads wrangler or esbuild.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

export const MANIFEST_FILE = ".build/manifest.json";
/** What the bundles are made of, relative to the repository root. */
const SOURCES = [
  "workers",
  "durable-objects",
  "shared",
  "wrangler.toml",
  "tsconfig.json",
  "tsconfig.base.json",
  "tsconfig.workers.json",
  "package-lock.json",
  "sidecars/stack/bundle.ts",
  "sidecars/stack/build-workers.ts",
  "sidecars/stack/services.ts",
];
const BUILD_TIMEOUT_MS = 120_000;

export interface WorkerManifest {
  fingerprint: string;
  workers: Array<{ name: string; scriptPath: string; options: Record<string, unknown> }>;
}

export async function workerManifest(root: string): Promise<WorkerManifest> {
  const fingerprint = await sourceFingerprint(root);
  const recorded = await readManifest(root);
  if (recorded?.fingerprint === fingerprint) return recorded;
  await promisify(execFile)(process.execPath, ["--import", "tsx", "sidecars/stack/build-workers.ts"], { cwd: root, timeout: BUILD_TIMEOUT_MS });
  const built = await readManifest(root);
  if (!built) throw new Error(`building the workers left no ${MANIFEST_FILE}`);
  return built;
}

async function readManifest(root: string): Promise<WorkerManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(root, MANIFEST_FILE), "utf8")) as WorkerManifest;
  } catch {
    return undefined;
  }
}

export async function sourceFingerprint(root: string): Promise<string> {
  const hash = createHash("sha256");
  for (const source of SOURCES) await addTree(hash, root, source);
  return hash.digest("hex");
}

async function addTree(hash: ReturnType<typeof createHash>, root: string, relative: string): Promise<void> {
  const full = path.join(root, relative);
  const info = await stat(full).catch(() => undefined);
  if (!info) return;
  if (!info.isDirectory()) {
    hash.update(`${relative}\0${info.size}\0${info.mtimeMs}\n`);
    return;
  }
  const entries = (await readdir(full)).filter((name) => name !== "node_modules").sort();
  for (const name of entries) await addTree(hash, root, path.join(relative, name));
}
