/**
 * What `npm run experiment` prints while an experiment runs, as the difference between two
 * successive reads of it: each phase that ended with its checks' values and verdicts, the
 * phase that started, the log lines not shown yet, and the stop reason when one appears.
 * A pure function of the two results, so that a missed poll only delays lines, never loses
 * them, and the final summary reads from the same formatting as the HTML report.
 */
import type { MeasureKind } from "../../shared/experiments/document";
import { formatSeconds, formatThreshold, formatValue } from "../../shared/experiments/measure-format";
import type { CheckResult, ExperimentPlan, ExperimentResult, PhaseResult } from "../../shared/experiments/result";

const ENDED: ReadonlySet<PhaseResult["state"]> = new Set(["done", "skipped"]);

export function progressLines(previous: ExperimentResult | undefined, next: ExperimentResult): string[] {
  const lines: string[] = [];
  for (const phase of next.phases) {
    const before = previous?.phases.find((p) => p.name === phase.name);
    if (ENDED.has(phase.state) && !(before && ENDED.has(before.state))) lines.push(...phaseEnded(phase));
  }
  if (next.phase !== null && next.phase !== previous?.phase) {
    const phase = next.phases.find((p) => p.name === next.phase);
    lines.push(`▶ phase ${next.phase}${phase ? ` (${phase.kind}${phase.action ? `: ${phase.action}` : ""}) from ${formatSeconds(phase.start_ms)} to ${formatSeconds(phase.end_ms)}` : ""}`);
  }
  const seen = new Set((previous?.log ?? []).map(logKey));
  for (const entry of next.log) if (!seen.has(logKey(entry))) lines.push(`  [${formatSeconds(entry.t).padStart(6)}] ${entry.message}`);
  if (next.stopped_by && !previous?.stopped_by) {
    const stop = next.stopped_by;
    const measure = next.stop_conditions.find((c) => c.check === stop.check)?.measure;
    const value = measure ? formatValue(measure, stop.value) : String(stop.value);
    lines.push(`✘ stopped by ${stop.check} at ${formatSeconds(stop.at_ms)}: ${value}, threshold ${measure ? formatThreshold(measure, stop.threshold) : JSON.stringify(stop.threshold)}`);
  }
  return lines;
}

/** The lines that close a run: verdict, status, reason, and how far the timeline got. */
export function summaryLines(result: ExperimentResult): string[] {
  return [
    `verdict  ${result.verdict.toUpperCase()} (${result.status}, ${formatSeconds(result.elapsed_ms)} of ${formatSeconds(result.total_ms)})`,
    ...(result.reason ? [`reason   ${result.reason}`] : []),
  ];
}

/** A dry run's answer: the document is valid, and its timeline as it would run. */
export function planLines(plan: ExperimentPlan): string[] {
  return [
    `valid    "${plan.name}": ${plan.phases.length} phases over ${formatSeconds(plan.total_ms)}`,
    ...plan.phases.map(
      (phase) =>
        `  ${formatSeconds(phase.start_ms).padStart(6)} – ${formatSeconds(phase.end_ms).padEnd(6)} ${phase.kind === "step" ? `step ${phase.name}: ${phase.action}` : phase.name}${phase.checks.length ? ` (checks: ${phase.checks.join(", ")})` : ""}`,
    ),
    ...(plan.stop_conditions.length ? [`  stop conditions: ${plan.stop_conditions.join(", ")}`] : []),
  ];
}

function phaseEnded(phase: PhaseResult): string[] {
  if (phase.state === "skipped") return [`■ phase ${phase.name} skipped`];
  return [`■ phase ${phase.name} ended${phase.checks.length ? ":" : ""}`, ...phase.checks.map((check) => `    ${checkLine(check)}`)];
}

function checkLine(check: CheckResult): string {
  const measure: MeasureKind = check.measure;
  const mark = check.verdict === "passed" ? "✔" : check.verdict === "failed" ? "✘" : "·";
  return `${mark} ${check.check}  ${formatValue(measure, check.value)} (${formatThreshold(measure, check.threshold)})  ${check.verdict.replace("_", " ")}`;
}

function logKey(entry: { t: number; message: string }): string {
  return `${entry.t}\t${entry.message}`;
}
