/**
 * Everything one run measured, as written to .bench/last.json, and the lookups the report
 * and the goals share.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BenchOptions } from "./cli";
import type { FaultResult } from "./faults";
import type { RulesScaleResult } from "./rules-scale";
import type { LargeResult } from "./large-object";
import type { LoadResult } from "./load-generator";
import type { MultipartResult } from "./multipart";
import { ceilingMixLabel } from "./plan";
import type { StartResult } from "./npm-start";
import type { SoakResult } from "./soak";
import type { TargetName } from "./targets/catalogue";

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; node: string; platform: string };
  options: Omit<BenchOptions, "mixes"> & { mixes: string[] };
  /** how PUT bodies were declared in x-amz-content-sha256 */
  payloadSigning: string;
  small: LoadResult[];
  large: LargeResult[];
  /** absent when skipped or when MockS3 (through its front door) was not a target */
  multipart?: MultipartResult;
  /** absent when skipped (--fault-rules 0) or when `mocks3` was not a target */
  faults?: FaultResult;
  /** absent when skipped (--scale-rules 0) or when `mocks3` was not a target */
  rulesScale?: RulesScaleResult;
  /** a real `npm start`: seconds to every /health, RSS at rest; absent when skipped */
  npmStart?: StartResult;
  /** absent when skipped (--soak-minutes 0) */
  soak?: SoakResult;
  goals: GoalResult[];
  wallSeconds: number;
}

export interface GoalResult {
  goal: string;
  status: "PASS" | "MISS" | "n/a";
  /** the measured value, as printed */
  measured: string;
}

export function findSmall(results: LoadResult[], target: TargetName, mix: string, concurrency: number): LoadResult | undefined {
  return results.find((r) => r.target === target && r.mix === mix && r.concurrency === concurrency && r.ops > 0);
}

/** The bare worker's figure for the same load (its GET for HEAD and LIST). */
export function findCeiling(results: LoadResult[], mix: string, concurrency: number): LoadResult | undefined {
  return findSmall(results, "bare", ceilingMixLabel(mix), concurrency);
}

export function findLarge(results: LargeResult[], target: TargetName): LargeResult | undefined {
  return results.find((r) => r.target === target);
}

export async function writeResults(file: string, results: BenchResults): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
}
