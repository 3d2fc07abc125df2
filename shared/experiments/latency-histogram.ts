/**
 * Latencies kept as a sparse log-scale histogram: bucket i holds values up to
 * FLOOR_MS × RATIO^i, so a percentile read from it is at most 5 % above the true value,
 * whatever the traffic, in a few hundred counters at most. The sidecar keeps its traffic
 * windows in these and the experiments merge them into each phase's.
 */
export type LatencyHistogram = Record<number, number>;

const FLOOR_MS = 0.01;
const RATIO = 1.05;
const LOG_RATIO = Math.log(RATIO);

export function bucketOf(ms: number): number {
  return ms <= FLOOR_MS ? 0 : Math.ceil(Math.log(ms / FLOOR_MS) / LOG_RATIO - 1e-9);
}

/** The largest value bucket `i` holds. */
export function bucketTop(i: number): number {
  return FLOOR_MS * RATIO ** i;
}

export function addLatency(histogram: LatencyHistogram, ms: number, count = 1): void {
  const i = bucketOf(ms);
  histogram[i] = (histogram[i] ?? 0) + count;
}

export function mergeHistogram(into: LatencyHistogram, from: LatencyHistogram): void {
  for (const [i, count] of Object.entries(from)) into[Number(i)] = (into[Number(i)] ?? 0) + count;
}

/** The `percentile` (0–100] of what the histogram holds, in ms; null when it is empty. */
export function percentileOf(histogram: LatencyHistogram, percentile: number): number | null {
  const buckets = Object.entries(histogram)
    .map(([i, count]) => [Number(i), count] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return null;
  const rank = Math.ceil((percentile / 100) * total);
  let seen = 0;
  for (const [i, count] of buckets) {
    seen += count;
    if (seen >= rank) return Math.round(bucketTop(i) * 1000) / 1000;
  }
  return Math.round(bucketTop(buckets.at(-1)![0]) * 1000) / 1000;
}
