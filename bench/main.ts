/**
 * `npm run bench`: starts every target in its own process, seeds them, runs the
 * small-object cases, the fault engine's case and the large-object cases, prints the report and writes
 * .bench/last.json. Wiring only; see load-generator.ts and large-object.ts for the load.
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseOptions, USAGE, type BenchOptions } from "./cli";
import { runFaultCases, type FaultResult } from "./faults";
import { evaluateGoals, sizeLabel } from "./goals";
import { largePayloadHash, runLargeCase, type LargeResult } from "./large-object";
import { runLoad, type LoadResult } from "./load-generator";
import { runMultipartCase, type MultipartResult } from "./multipart";
import { runRulesScale, type RulesScaleResult } from "./rules-scale";
import { measureNpmStart, type StartResult } from "./npm-start";
import { runSoak, type SoakResult } from "./soak";
import { freePortRange } from "../test/helpers/ports";
import { ObjectPool } from "./object-pool";
import { planCases } from "./plan";
import { printReport } from "./report";
import { writeResults, type BenchResults } from "./results";
import { prepareBucket, seedPool } from "./seed";
import { BUCKET, startTargets, type Target } from "./targets/catalogue";

const MIB = 1024 * 1024;
/** `npm start`'s six services and, at +10, its anomalies sidecar */
const NPM_START_PORTS = 11;

async function main(): Promise<void> {
  const options = optionsOrExit();
  const startedAt = new Date();
  const wallStart = performance.now();
  // before any target runs, so that nothing else competes with it
  const npmStart = options.npmStart ? await runNpmStart() : undefined;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "mocks3-bench-"));
  progress(`starting ${options.targets.join(", ")} (data in ${dataDir})`);
  const started = await startTargets(options.targets, dataDir, options.size);
  const cleanUp = async () => {
    await started.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  process.once("SIGINT", () => void cleanUp().finally(() => process.exit(130)));
  try {
    for (const target of started.targets) await prepareBucket(target);
    const pool = new ObjectPool(BUCKET, options.size, options.payload);
    const small = await runSmallCases(options, started.targets, pool);
    const faults = await runFaults(options, started.targets, pool, small.length > 0);
    const rulesScale = await runScale(options, started.targets, pool, small.length > 0 || faults !== undefined);
    const large = await runLargeCases(options, started.targets);
    const multipart = await runMultipart(options, started.targets, dataDir, large);
    const soak = await runSoakCase(options, started.targets, pool, small.length > 0 || faults !== undefined);
    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      machine: { cpus: os.availableParallelism(), node: process.versions.node, platform: `${os.platform()} ${os.release()}` },
      options: { ...options, mixes: options.mixes.map((m) => m.label) },
      payloadSigning: options.payload === "sha256" ? "their SHA-256 (x-amz-content-sha256: hex digest)" : "UNSIGNED-PAYLOAD",
      small,
      large,
      ...(multipart ? { multipart } : {}),
      ...(faults ? { faults } : {}),
      ...(rulesScale ? { rulesScale } : {}),
      ...(npmStart ? { npmStart } : {}),
      ...(soak ? { soak } : {}),
      goals: evaluateGoals(small, large, options.size, { multipart, faults, rulesScale, npmStart, soak }),
      wallSeconds: (performance.now() - wallStart) / 1000,
    };
    printReport(results);
    await writeResults(options.out, results);
    console.log(`results written to ${options.out}`);
  } finally {
    await cleanUp();
  }
}

function optionsOrExit(): BenchOptions {
  try {
    const options = parseOptions(process.argv.slice(2));
    if (options !== "help") return options;
    console.log(USAGE);
    process.exit(0);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function runSmallCases(options: BenchOptions, targets: Target[], pool: ObjectPool): Promise<LoadResult[]> {
  const cases = planCases(options, targets);
  if (cases.length === 0) return [];
  for (const target of targets) await seedPool(target, pool);
  const results: LoadResult[] = [];
  for (const [i, c] of cases.entries()) {
    const result = await runLoad({ ...c, pool, client: options.client, warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000 });
    results.push(result);
    const errors = result.errors > 0 ? `, ${result.errors} errors` : "";
    progress(`[${i + 1}/${cases.length}] ${c.mix.label} c${c.concurrency} ${c.target.name}: ${result.opsPerSecond.toFixed(0)} ops/s${errors}`);
  }
  return results;
}

/** The fault engine's cost, through the front door (what clients get). */
async function runFaults(options: BenchOptions, targets: Target[], pool: ObjectPool, seeded: boolean): Promise<FaultResult | undefined> {
  const target = targets.find((t) => t.name === "mocks3");
  if (options.faultRules === 0 || !target) return undefined;
  if (!seeded) await seedPool(target, pool);
  return runFaultCases(target, pool, { nonMatchingRules: options.faultRules, warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000, client: options.client }, progress);
}

/** Thousands of rules: how fast they go in, and what they cost S3 traffic, through the front door. */
async function runScale(options: BenchOptions, targets: Target[], pool: ObjectPool, seeded: boolean): Promise<RulesScaleResult | undefined> {
  const target = targets.find((t) => t.name === "mocks3");
  if (options.scaleRules === 0 || !target) return undefined;
  if (!seeded) await seedPool(target, pool);
  return runRulesScale(target, pool, { rules: options.scaleRules, warmupMs: options.warmupS * 1000, durationMs: options.durationS * 1000, client: options.client }, progress);
}

async function runLargeCases(options: BenchOptions, targets: Target[]): Promise<LargeResult[]> {
  if (options.largeMb === 0) return [];
  const bytes = Math.round(options.largeMb * MIB);
  const payloadHash = largePayloadHash(bytes, options.payload);
  const results: LargeResult[] = [];
  for (const target of targets) {
    const result = await runLargeCase(target, bytes, payloadHash);
    results.push(result);
    const get = result.get ? `, GET ${result.get.mbPerSecond.toFixed(0)} MB/s` : "";
    progress(`${sizeLabel(bytes)} ${target.name}: PUT ${result.put.mbPerSecond.toFixed(0)} MB/s${get}${result.put.error ?? result.get?.error ?? ""}`);
  }
  return results;
}

/** The multipart upload, through the front door (what clients get). */
async function runMultipart(options: BenchOptions, targets: Target[], scratchDir: string, large: LargeResult[]): Promise<MultipartResult | undefined> {
  const target = targets.find((t) => t.name === "mocks3");
  if (options.multipartMb === 0 || !target) return undefined;
  const plan = { bytes: Math.round(options.multipartMb * MIB), partBytes: Math.round(options.partMb * MIB), concurrency: options.partConcurrency };
  const result = await runMultipartCase(target, plan, scratchDir, large.find((r) => r.target === "mocks3")?.memory.idleBytes);
  const outcome = result.upload.error ?? `${result.upload.mbPerSecond.toFixed(0)} MB/s (file copy ${result.fileCopy.mbPerSecond.toFixed(0)} MB/s)`;
  progress(`${sizeLabel(plan.bytes)} multipart, ${sizeLabel(plan.partBytes)} parts ×${plan.concurrency} ${target.name}: ${outcome}`);
  return result;
}

/** The long mixed load on MockS3, through the front door. */
async function runSoakCase(options: BenchOptions, targets: Target[], pool: ObjectPool, seeded: boolean): Promise<SoakResult | undefined> {
  const target = targets.find((t) => t.name === "mocks3");
  if (options.soakMinutes === 0 || !target) return undefined;
  if (!seeded) await seedPool(target, pool);
  const mix = options.mixes.find((m) => m.label.includes(":"));
  return runSoak(target, pool, options.soakMinutes, mix, options.client, progress);
}

/** `npm start` as a user runs it, on a free run of ports. */
async function runNpmStart(): Promise<StartResult> {
  const result = await measureNpmStart(path.resolve(import.meta.dirname, ".."), await freePortRange(NPM_START_PORTS));
  progress(result.error ? `npm start: ${result.error}` : `npm start: ready in ${result.readySeconds.toFixed(1)} s, ${(result.restBytes / MIB).toFixed(0)} MiB at rest`);
  return result;
}

/** Progress goes to stderr, so stdout holds only the report. */
function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

await main();
