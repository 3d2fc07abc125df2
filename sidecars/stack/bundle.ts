/**
 * Bundles each worker with esbuild, the bundler wrangler itself uses, into .build/<name>/.
 * Runs at every start; a bundle takes tens of milliseconds.
 */
import path from "node:path";
import { build } from "esbuild";

export async function bundleWorker(root: string, entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, "index.js");
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    loader: { ".sql": "text" },
    sourcemap: "linked",
    logLevel: "warning",
  });
  return outfile;
}
