/**
 * What a check adds up over a phase, and the value and verdict it gives. Traffic checks
 * (error_share, latency, injections) add the sidecar's tallies of each request once;
 * probes count their failures; gauges (queue_length, anomaly) keep their samples: a phase's
 * queue length is the largest sampled, an anomaly's value the mean of its samples (it ramps
 * up, so its first samples are below target by design).
 */
import { measureOf, type Check } from "../../../../shared/experiments/document";
import { mergeHistogram, percentileOf } from "../../../../shared/experiments/latency-histogram";
import type { CheckVerdict, Threshold } from "../../../../shared/experiments/result";
import { emptyTally, type TrafficTally } from "../../../../shared/experiments/traffic-window";

export type Accumulator = { kind: "traffic"; tally: TrafficTally } | { kind: "probe"; probes: number; failures: number } | { kind: "gauge"; n: number; sum: number; max: number | null };

export type Reading = { kind: "traffic"; tally: TrafficTally } | { kind: "probe"; probes: number; failures: number } | { kind: "gauge"; value: number | null };

export function isTraffic(check: Check): boolean {
  const measure = measureOf(check);
  return measure === "error_share" || measure === "latency" || measure === "injections";
}

export function emptyAccumulator(check: Check): Accumulator {
  if (isTraffic(check)) return { kind: "traffic", tally: emptyTally() };
  if (check.probe) return { kind: "probe", probes: 0, failures: 0 };
  return { kind: "gauge", n: 0, sum: 0, max: null };
}

export function accumulate(acc: Accumulator, reading: Reading): void {
  if (acc.kind === "traffic" && reading.kind === "traffic") addTally(acc.tally, reading.tally);
  else if (acc.kind === "probe" && reading.kind === "probe") {
    acc.probes += reading.probes;
    acc.failures += reading.failures;
  } else if (acc.kind === "gauge" && reading.kind === "gauge" && reading.value !== null) {
    acc.n++;
    acc.sum += reading.value;
    acc.max = acc.max === null ? reading.value : Math.max(acc.max, reading.value);
  }
}

export function addTally(into: TrafficTally, from: TrafficTally): void {
  into.requests += from.requests;
  into.errors_4xx += from.errors_4xx;
  into.errors_5xx += from.errors_5xx;
  into.injections += from.injections;
  mergeHistogram(into.latency, from.latency);
}

/** The check's value of a reading or a phase's accumulator (null: no data), and what it is made of. */
export function measuredValue(check: Check, of: Accumulator | Reading): { value: number | null; count?: number } {
  if (of.kind === "traffic") {
    const { tally } = of;
    if (check.injections) return { value: tally.injections };
    if (tally.requests < check.min_requests) return { value: null, count: tally.requests };
    if (check.latency) return { value: percentileOf(tally.latency, check.latency.percentile), count: tally.requests };
    const statuses = check.error_share?.statuses ?? "5xx";
    const errors = (statuses === "4xx" ? 0 : tally.errors_5xx) + (statuses === "5xx" ? 0 : tally.errors_4xx);
    return { value: round(errors / tally.requests), count: tally.requests };
  }
  if (of.kind === "probe") return of.probes === 0 ? { value: null, count: 0 } : { value: round(of.failures / of.probes), count: of.probes };
  if ("value" in of) return { value: of.value };
  if (of.n === 0) return { value: null };
  return { value: check.queue_length ? of.max : round(of.sum / of.n) };
}

export function verdictOf(threshold: Threshold, value: number | null): CheckVerdict {
  if (value === null) return "no_data";
  if (threshold.max !== undefined && value > threshold.max) return "failed";
  if (threshold.min !== undefined && value < threshold.min) return "failed";
  return "passed";
}

export function thresholdOf(check: Check): Threshold {
  return { ...(check.max === undefined ? {} : { max: check.max }), ...(check.min === undefined ? {} : { min: check.min }) };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
