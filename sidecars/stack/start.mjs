/**
 * `npm start`. The stack's Node code (the stack and the anomalies sidecar) is compiled ahead
 * into .build/node with esbuild — a fraction of a second — and run from there, in this very
 * process: no TypeScript is transpiled at run time, no tsx process sits in between, and
 * esbuild's service ends before the stack starts. Packages stay in node_modules.
 */
import { build, stop } from "esbuild";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { writeAtomically } from "../write-atomically.mjs";

const root = path.resolve(import.meta.dirname, "../..");
const outdir = path.join(root, ".build", "node");
const result = await build({
  absWorkingDir: root,
  entryPoints: { stack: "sidecars/stack/main.ts", anomalies: "sidecars/anomalies/main.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  packages: "external",
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  write: false,
});
await stop();
// whole files only: stacks starting side by side (the tests start several) never load one half-written
for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
await import(pathToFileURL(path.join(outdir, "stack.mjs")).href);
