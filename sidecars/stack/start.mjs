/**
 * `npm start`. The stack's Node code (the stack and the anomalies sidecar) is compiled ahead
 * into .build/node with esbuild — a fraction of a second — and run from there, in this very
 * process: no TypeScript is transpiled at run time, no tsx process sits in between, and
 * esbuild's service ends before the stack starts. Packages stay in node_modules.
 */
import { build, stop } from "esbuild";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { writeAtomically } from "../write-atomically.mjs";

// the ops tools' convention (scripts/ops/cli.ts, which this plain module cannot import):
// --help prints the usage and exits 0, anything else on the command line exits 2
const USAGE = `usage: npm start [-- --help]
  Runs the whole MockS3 stack on this machine until Ctrl-C or \`npm run stop\`. It takes no
  flags: it is set up by environment variables — MOCKS3_PORT (8080), MOCKS3_HOST (127.0.0.1),
  MOCKS3_DATA_DIR (./.mocks3), MOCKS3_AUTH and more, listed in the README's Configuration.`;
try {
  if (parseArgs({ options: { help: { type: "boolean", short: "h" } } }).values.help) {
    console.log(USAGE);
    process.exit(0);
  }
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}

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
