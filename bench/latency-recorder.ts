/**
 * Request latencies of one measured run. Every sample is kept (a few hundred thousand
 * doubles at most) and sorted once at the end: exact percentiles, and recording is a store
 * into a preallocated array — nothing allocated per request on the hot path.
 */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export class LatencyRecorder {
  #samples = new Float64Array(64 * 1024);
  #count = 0;

  record(ms: number): void {
    if (this.#count === this.#samples.length) {
      const grown = new Float64Array(this.#samples.length * 2);
      grown.set(this.#samples);
      this.#samples = grown;
    }
    this.#samples[this.#count++] = ms;
  }

  get count(): number {
    return this.#count;
  }

  summary(): LatencySummary {
    const sorted = this.#samples.subarray(0, this.#count).sort();
    const n = sorted.length;
    if (n === 0) return { count: 0, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, meanMs: Number.NaN };
    let total = 0;
    for (const ms of sorted) total += ms;
    return { count: n, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99), maxMs: sorted[n - 1]!, meanMs: total / n };
  }
}

/** Nearest-rank quantile of sorted samples. */
function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
