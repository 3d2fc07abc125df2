/**
 * The small-object cases of a run, in the order they are measured: for each operation
 * (or mix) and concurrency, every target back to back — so the targets of one comparison
 * are measured minutes apart at most, under the same background load.
 */
import type { BenchOptions } from "./cli";
import type { OperationMix } from "./operation-mix";
import type { Target } from "./targets/catalogue";

export interface PlannedCase {
  mix: OperationMix;
  concurrency: number;
  target: Target;
}

/**
 * The bare worker answers HEAD and LIST exactly as it answers GET (it does no work), so
 * those cases are not run against it: its GET at the same concurrency is their ceiling.
 */
const NO_BARE_CASE = new Set(["head", "list"]);

export function planCases(options: BenchOptions, targets: Target[]): PlannedCase[] {
  const cases: PlannedCase[] = [];
  for (const mix of options.mixes) {
    for (const concurrency of options.concurrency) {
      for (const target of targets) {
        if (target.name === "bare" && NO_BARE_CASE.has(mix.label)) continue;
        cases.push({ mix, concurrency, target });
      }
    }
  }
  return cases;
}

/** The bare-worker case that serves as `mix`'s ceiling. */
export function ceilingMixLabel(mix: string): string {
  return NO_BARE_CASE.has(mix) ? "get" : mix;
}
