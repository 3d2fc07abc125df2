/**
 * How a check's value reads, per measure, wherever it is shown — the HTML report's tables and
 * chart axes and `npm run experiment`'s progress lines — so that the two never disagree:
 * shares (error_share, probe failures) as percentages, latency in ms, counts (injections,
 * queue length) as whole numbers, an anomaly's value as the number it is (its unit is the
 * metric's own). Times on the timeline are ms from the start, shown in seconds.
 */
import type { MeasureKind } from "./document";
import type { Threshold } from "./result";

const SHARES: ReadonlySet<MeasureKind> = new Set(["error_share", "probe"]);
const COUNTS: ReadonlySet<MeasureKind> = new Set(["injections", "queue_length"]);

/** A value as a person reads it; null (no data in the window or phase) reads "no data". */
export function formatValue(measure: MeasureKind, value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "no data";
  if (SHARES.has(measure)) return `${trim(value * 100, value * 100 < 10 ? 2 : 1)}%`;
  if (measure === "latency") return `${trim(value, value < 10 ? 2 : value < 100 ? 1 : 0)} ms`;
  if (COUNTS.has(measure)) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

/** A threshold: "≤ 5%", "≥ 1", or "≥ 1 and ≤ 10" when a check has both. */
export function formatThreshold(measure: MeasureKind, threshold: Threshold): string {
  const parts: string[] = [];
  if (threshold.min !== undefined) parts.push(`≥ ${formatValue(measure, threshold.min)}`);
  if (threshold.max !== undefined) parts.push(`≤ ${formatValue(measure, threshold.max)}`);
  return parts.length ? parts.join(" and ") : "none";
}

/** ms from the start as seconds: "0s", "12.5s", "90s". */
export function formatSeconds(ms: number): string {
  return `${trim(ms / 1000, 1)}s`;
}

/** A fixed number of decimals, without the trailing zeros ("5.00" → "5", "2.50" → "2.5"). */
function trim(value: number, decimals: number): string {
  return String(Number(value.toFixed(decimals)));
}
