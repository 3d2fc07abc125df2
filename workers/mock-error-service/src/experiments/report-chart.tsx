/**
 * One check's chart in the experiment report: an inline SVG line of its sampled values over
 * the timeline (axis in seconds), the phases shaded as labelled bands, its threshold(s) as
 * dashed lines, and a gap wherever a sample had no data (null) — a line drawn across a gap
 * would show a value nobody measured. An isolated sample between two gaps is drawn as a dot.
 * Plain SVG, no script: the report opens offline in any browser and prints as it shows.
 *
 * @jsxImportSource hono/jsx — said here as well as in tsconfig, which vitest's transform does not read
 */
import type { MeasureKind } from "../../../../shared/experiments/document";
import { formatSeconds, formatThreshold, formatValue } from "../../../../shared/experiments/measure-format";
import type { PhaseResult, Threshold } from "../../../../shared/experiments/result";

export interface ChartInput {
  check: string;
  measure: MeasureKind;
  threshold: Threshold;
  /** this check's value in each sample, by time (ms from the start) */
  points: Array<{ t: number; value: number | null }>;
  phases: PhaseResult[];
  total_ms: number;
  /** when this check stopped the experiment, if it did */
  stopped_at_ms?: number;
}

const WIDTH = 760;
const HEIGHT = 220;
const LEFT = 68;
const RIGHT = 12;
const TOP = 22;
const BOTTOM = 30;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

export function CheckChart({ chart, id }: { chart: ChartInput; id: string }) {
  const xMax = Math.max(chart.total_ms, ...chart.points.map((p) => p.t), 1);
  const y = yScale(chart);
  const x = (t: number) => LEFT + (t / xMax) * PLOT_W;
  const { path, dots } = line(chart.points, x, y.at);
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT} role="img" aria-labelledby={`${id}-title`}>
      <title id={`${id}-title`}>{`${chart.check} over time (threshold ${formatThreshold(chart.measure, chart.threshold)})`}</title>
      {chart.phases.map((phase, i) => (
        <g class={`band band-${phase.kind}${i % 2 ? " band-odd" : ""}`}>
          <rect x={x(phase.start_ms)} y={TOP} width={Math.max(0, x(phase.end_ms) - x(phase.start_ms))} height={PLOT_H} />
          <text x={x(phase.start_ms) + 3} y={TOP - 6} class="band-label">
            {truncated(phase.name, x(phase.end_ms) - x(phase.start_ms))}
          </text>
        </g>
      ))}
      {y.ticks.map((tick) => (
        <g class="tick">
          <line x1={LEFT} x2={LEFT + PLOT_W} y1={y.at(tick)} y2={y.at(tick)} class="grid" />
          <text x={LEFT - 6} y={y.at(tick) + 4} text-anchor="end">
            {formatValue(chart.measure, tick)}
          </text>
        </g>
      ))}
      {ticks(0, xMax / 1000, 6)
        .filter((s) => s * 1000 <= xMax)
        .map((s) => (
          <text x={x(s * 1000)} y={HEIGHT - 10} text-anchor="middle" class="tick">
            {formatSeconds(s * 1000)}
          </text>
        ))}
      <line x1={LEFT} x2={LEFT + PLOT_W} y1={TOP + PLOT_H} y2={TOP + PLOT_H} class="axis" />
      <line x1={LEFT} x2={LEFT} y1={TOP} y2={TOP + PLOT_H} class="axis" />
      {(["max", "min"] as const).flatMap((side) => {
        const limit = chart.threshold[side];
        if (limit === undefined) return [];
        return [
          <g class={`threshold threshold-${side}`}>
            <line x1={LEFT} x2={LEFT + PLOT_W} y1={y.at(limit)} y2={y.at(limit)} stroke-dasharray="6 4" />
            <text x={LEFT + PLOT_W - 4} y={y.at(limit) - 4} text-anchor="end">{`${side} ${formatValue(chart.measure, limit)}`}</text>
          </g>,
        ];
      })}
      {chart.stopped_at_ms === undefined ? null : <line class="stop" x1={x(chart.stopped_at_ms)} x2={x(chart.stopped_at_ms)} y1={TOP} y2={TOP + PLOT_H} />}
      {path ? <path class="series" d={path} fill="none" /> : null}
      {dots.map(([cx, cy]) => (
        <circle class="dot" cx={cx} cy={cy} r={2.5} />
      ))}
    </svg>
  );
}

/** The path's segments (a new "M" after each null) and the samples alone between gaps. */
function line(points: ChartInput["points"], x: (t: number) => number, y: (v: number) => number): { path: string; dots: Array<[number, number]> } {
  const segments: Array<Array<[number, number]>> = [[]];
  for (const { t, value } of [...points].sort((a, b) => a.t - b.t)) {
    if (value === null || !Number.isFinite(value)) {
      if (segments.at(-1)!.length) segments.push([]);
    } else segments.at(-1)!.push([round(x(t)), round(y(value))]);
  }
  const drawn = segments.filter((segment) => segment.length > 1);
  const path = drawn.map((segment) => segment.map(([px, py], i) => `${i ? "L" : "M"}${px} ${py}`).join(" ")).join(" ");
  return { path, dots: segments.filter((segment) => segment.length === 1).map((segment) => segment[0]!) };
}

/** The value axis: from 0 (or below, for a negative value) to a round number above every value and threshold. */
function yScale(chart: ChartInput): { at: (v: number) => number; ticks: number[] } {
  const values = [...chart.points.flatMap((p) => (p.value === null || !Number.isFinite(p.value) ? [] : [p.value])), chart.threshold.max ?? 0, chart.threshold.min ?? 0];
  const lo = Math.min(0, ...values);
  // a share is never above 100 %
  const hi = Math.min(chart.measure === "error_share" || chart.measure === "probe" ? 1 : Number.POSITIVE_INFINITY, Math.max(...values) * 1.1);
  const axis = ticks(lo, hi > lo ? hi : lo + 1, 4);
  const top = axis.at(-1)!;
  const bottom = axis[0]!;
  return { at: (v) => round(TOP + PLOT_H - ((v - bottom) / (top - bottom || 1)) * PLOT_H), ticks: axis };
}

/** Round tick values (1, 2 or 5 times a power of ten) covering [lo, hi] in about `count` steps. */
function ticks(lo: number, hi: number, count: number): number[] {
  const raw = (hi - lo) / count || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v < hi + step * 0.999; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** A band's label cut to the band's width (about 6 px a character). */
function truncated(label: string, width: number): string {
  const chars = Math.floor((width - 6) / 6);
  if (chars <= 1) return "";
  return label.length <= chars ? label : `${label.slice(0, chars - 1)}…`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
