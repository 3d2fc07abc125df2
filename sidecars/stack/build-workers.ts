/**
 * Builds what the stack runs in workerd: each worker bundled with esbuild into
 * .build/<name>/index.js, and its Miniflare options read from its wrangler config (the single
 * source of truth for bindings, as for `wrangler dev`), all recorded in .build/manifest.json
 * with a fingerprint of the sources they came from (worker-manifest.ts).
 *
 * It runs in a process of its own (`node --import tsx sidecars/stack/build-workers.ts`),
 * started by the stack only when the sources changed: wrangler and esbuild weigh some
 * 900 MiB together, none of which the running stack should keep.
 */
import path from "node:path";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { writeAtomically } from "../write-atomically.mjs";
import { bundleWorker } from "./bundle";
import { MANIFEST_FILE, sourceFingerprint, type WorkerManifest } from "./worker-manifest";
import { SERVICES } from "./services";

export async function buildWorkers(root: string): Promise<WorkerManifest> {
  const fingerprint = await sourceFingerprint(root);
  const workers = await Promise.all(
    SERVICES.map(async (service) => {
      const { workerOptions, main } = unstable_getMiniflareWorkerOptions(path.join(root, service.config));
      if (!main) throw new Error(`${service.config} has no main entry`);
      const scriptPath = await bundleWorker(root, main, path.join(root, ".build", service.name));
      return { name: service.name, scriptPath: path.relative(root, scriptPath), options: workerOptions as Record<string, unknown> };
    }),
  );
  const manifest: WorkerManifest = { fingerprint, workers };
  await writeAtomically(path.join(root, MANIFEST_FILE), JSON.stringify(manifest));
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  await buildWorkers(path.resolve(import.meta.dirname, "../.."));
}
