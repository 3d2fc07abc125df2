/**
 * Bundles a worker with esbuild, the bundler wrangler itself uses, into .build/<name>/
 * (build-workers.ts, when the sources changed). Each file is written under a
 * temporary name and renamed into place, so that stacks starting side by side (the test
 * suite starts several) never load a half-written bundle.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

export async function bundleWorker(root: string, entry: string, outDir: string): Promise<string> {
  const outfile = path.join(outDir, "index.js");
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    // as wrangler bundles workers: a package's browser build (no Node built-ins) before its Node one
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    loader: { ".sql": "text" },
    sourcemap: "linked",
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
    write: false,
  });
  await mkdir(outDir, { recursive: true });
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    await writeFile(temporary, file.contents);
    await rename(temporary, file.path);
  }
  return outfile;
}
