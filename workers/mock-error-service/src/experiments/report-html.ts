// placeholder until the report branch is merged
import type { ExperimentResult } from "../../../../shared/experiments/result";
export function experimentReport(result: ExperimentResult): string {
  return `<!doctype html><title>${result.id}</title>`;
}
