/**
 * `npm run bench -- [flags]`: the options, parsed once into a value (or a usage error).
 * The defaults are the full comparison, sized to finish in about four and a half minutes on
 * 2 cores: 42 cases × (1 s warm-up + 3 s) ≈ 170 s, plus ~15 s for `npm start`, ~15 s of
 * start-up, ~25 s for the fault engine's case, ~40 s for 10,000 rules, ~30 s for 256 MiB and ~10 s for the 256 MiB
 * multipart upload.
 */
import { parseArgs } from "node:util";
import { CLIENT_KINDS, type ClientKind } from "./http-client";
import type { PayloadMode } from "./object-pool";
import { parseMix, singleOperation, type OperationMix } from "./operation-mix";
import { OPERATION_NAMES } from "./operations";
import { TARGET_NAMES, type TargetName } from "./targets/catalogue";

export interface BenchOptions {
  durationS: number;
  warmupS: number;
  concurrency: number[];
  size: number;
  /** one case per operation, then the --mix case if given */
  mixes: OperationMix[];
  targets: TargetName[];
  /** 0 skips the large-object case */
  largeMb: number;
  /** the multipart case: object size (0 skips it), part size, parts in flight */
  multipartMb: number;
  partMb: number;
  partConcurrency: number;
  /** the fault case's non-matching rules (0 skips the case) */
  faultRules: number;
  /** the rules-scale case's rules (0 skips it) */
  scaleRules: number;
  /** time and weigh a real `npm start` first (npm-start.ts) */
  npmStart: boolean;
  /** minutes of mixed load on mocks3 with its RSS sampled every 10 s (soak.ts); 0 skips it */
  soakMinutes: number;
  payload: PayloadMode;
  client: ClientKind;
  out: string;
}

export const USAGE = `usage: npm run bench -- [flags]
  --duration S        measured seconds per case (default 3)
  --warmup S          discarded seconds before each case (default 1)
  --concurrency LIST  connections in flight, e.g. 1,16,64 (default)
  --size BYTES        small object size (default 4096)
  --ops LIST          one case each: get,put,head,list (default all)
  --mix SPEC          an extra mixed case, e.g. get:80,put:20
  --targets LIST      mocks3,direct,bare,s3rver (default all)
  --large-mb N        the large object's size in MiB (default 256; 0 skips it)
  --multipart-mb N    the multipart upload's size in MiB (default 256; 0 skips it)
  --part-mb N         its part size in MiB (default 8)
  --part-concurrency N  its parts in flight at once (default 4)
  --fault-rules N     the fault case (4 KiB GET at c16 via mocks3): non-matching rules (default 100; 0 skips it)
  --scale-rules N     the rules-scale case: N rules added 8 at a time, GETs at c16 with all of them,
                      then GETs beside adds one by one and 8 at a time (default 10000; 0 skips it)
  --npm-start yes|no  time \`npm start\` to every /health and weigh it at rest (default yes)
  --soak-minutes N    N minutes of mixed load on mocks3 (the --mix, else get:70,put:20,list:10, c16),
                      its RSS printed every 10 s (default 0: skipped; the issue's check is 10)
  --payload MODE      unsigned (UNSIGNED-PAYLOAD, default) or sha256 (a real body hash)
  --client KIND       raw (a lean HTTP/1.1 client, default) or node-http (node:http Agent)
  --out FILE          JSON results (default .bench/last.json)`;

export function parseOptions(argv: string[]): BenchOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      duration: { type: "string", default: "3" },
      warmup: { type: "string", default: "1" },
      concurrency: { type: "string", default: "1,16,64" },
      size: { type: "string", default: "4096" },
      ops: { type: "string", default: OPERATION_NAMES.join(",") },
      mix: { type: "string" },
      targets: { type: "string", default: TARGET_NAMES.join(",") },
      "large-mb": { type: "string", default: "256" },
      "multipart-mb": { type: "string", default: "256" },
      "part-mb": { type: "string", default: "8" },
      "part-concurrency": { type: "string", default: "4" },
      "fault-rules": { type: "string", default: "100" },
      "scale-rules": { type: "string", default: "10000" },
      "npm-start": { type: "string", default: "yes" },
      "soak-minutes": { type: "string", default: "0" },
      payload: { type: "string", default: "unsigned" },
      client: { type: "string", default: "raw" },
      out: { type: "string", default: ".bench/last.json" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return "help";
  const ops = values.ops ? listOf(values.ops, OPERATION_NAMES, "--ops") : [];
  const mixes = ops.map(singleOperation);
  if (values.mix) mixes.push(parseMix(values.mix));
  if (values.payload !== "unsigned" && values.payload !== "sha256") throw new Error("--payload must be unsigned or sha256");
  const [client] = listOf(values.client, CLIENT_KINDS, "--client");
  if (values["npm-start"] !== "yes" && values["npm-start"] !== "no") throw new Error("--npm-start must be yes or no");
  return {
    durationS: positive(values.duration, "--duration"),
    warmupS: positive(values.warmup, "--warmup", true),
    concurrency: values.concurrency.split(",").map((c) => Math.round(positive(c, "--concurrency"))),
    size: Math.round(positive(values.size, "--size")),
    mixes,
    targets: listOf(values.targets, TARGET_NAMES, "--targets"),
    largeMb: positive(values["large-mb"], "--large-mb", true),
    multipartMb: positive(values["multipart-mb"], "--multipart-mb", true),
    partMb: positive(values["part-mb"], "--part-mb"),
    partConcurrency: Math.round(positive(values["part-concurrency"], "--part-concurrency")),
    faultRules: Math.round(positive(values["fault-rules"], "--fault-rules", true)),
    scaleRules: Math.round(positive(values["scale-rules"], "--scale-rules", true)),
    npmStart: values["npm-start"] === "yes",
    soakMinutes: positive(values["soak-minutes"], "--soak-minutes", true),
    payload: values.payload,
    client: client ?? "raw",
    out: values.out,
  };
}

function positive(text: string, flag: string, zeroAllowed = false): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroAllowed)) throw new Error(`${flag} must be a positive number, got ${JSON.stringify(text)}`);
  return value;
}

function listOf<T extends string>(text: string, allowed: readonly T[], flag: string): T[] {
  const items = text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag}: unknown ${JSON.stringify(item)} (one of ${allowed.join(", ")})`);
  }
  return [...new Set(items)] as T[];
}
