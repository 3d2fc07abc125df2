/**
 * Bundles a worker with esbuild, the bundler wrangler itself uses, into .build/<name>/
 * (build-workers.ts, when the sources changed). Each file is written under a
 * temporary name and renamed into place, so that stacks starting side by side (the test
 * suite starts several) never load a half-written bundle.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import { writeAtomically } from "../write-atomically.mjs";

const SEMANTIC_CONVENTIONS = "@opentelemetry/semantic-conventions";
const SEMANTIC_ATTRIBUTES = "shared/telemetry/semantic-attributes.ts";

/**
 * @microlabs/otel-cf-workers takes its `SemanticAttributes` from the shim in
 * shared/telemetry/semantic-attributes.ts rather than from the package's whole table (240 KiB
 * in every worker, and Miniflare's start-up copies every worker's script over and over). The
 * build fails if the library reads an attribute the shim does not have.
 */
function semanticAttributesShim(root: string): Plugin {
  return {
    name: "semantic-attributes-shim",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^@opentelemetry\/semantic-conventions$/ }, async (args) => {
        if (!args.importer.includes(`${path.sep}@microlabs${path.sep}otel-cf-workers${path.sep}`)) return undefined;
        const shim = path.join(root, SEMANTIC_ATTRIBUTES);
        const [library, provided] = await Promise.all([readFile(args.importer, "utf8"), readFile(shim, "utf8")]);
        const read = new Set([...library.matchAll(/SemanticAttributes\d*\.([A-Z_]+)/g)].map((m) => m[1]!));
        const missing = [...read].filter((name) => !new RegExp(`^\\s+${name}:`, "m").test(provided));
        if (missing.length > 0) return { errors: [{ text: `${SEMANTIC_ATTRIBUTES} lacks ${missing.join(", ")}, which ${args.importer} reads from ${SEMANTIC_CONVENTIONS}` }] };
        return { path: shim };
      });
    },
  };
}

/** `*.client.js` and `*.client.css`: files a worker serves to browsers, imported as their text. */
const browserFilesAsText: Plugin = {
  name: "browser-files-as-text",
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /\.client\.(js|css)$/ }, async (args) => ({ contents: await readFile(args.path, "utf8"), loader: "text" }));
  },
};

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
    conditions: ["workerd", "worker", "browser", "module"],
    // as wrangler bundles workers: a package's browser build (no Node built-ins) before its Node one
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*", "node:*"],
    // migrations, and the console's browser script and style sheet, as text (wrangler: the rules in the configs)
    loader: { ".sql": "text" },
    plugins: [semanticAttributesShim(root), browserFilesAsText],
    sourcemap: "linked",
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: "warning",
    write: false,
  });
  for (const file of result.outputFiles) await writeAtomically(file.path, file.contents);
  return outfile;
}
