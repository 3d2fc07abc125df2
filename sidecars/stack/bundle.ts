/**
 * Bundles each worker with esbuild, the bundler wrangler itself uses, into .build/<name>/.
 * Runs at every start; a bundle takes tens of milliseconds.
 *
 * Several stacks may start at once from one checkout (the test suite starts a few): each
 * file is written beside its place and renamed into it, so that no workerd ever reads a
 * bundle another start is still writing.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

export async function bundleWorker(root: string, entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, "index.js");
  const { outputFiles } = await build({
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
    write: false,
  });
  await mkdir(outDir, { recursive: true });
  for (const file of outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  return outfile;
}
