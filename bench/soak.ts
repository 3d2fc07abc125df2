/**
 * The stack under a long mixed load (`--soak-minutes N`, get:70,put:20,list:10 at c16 unless
 * `--mix` says otherwise), run as back-to-back 10 s windows of the load generator; after each
 * window the server tree's RSS is sampled and printed. What it shows: whether memory grows
 * with work done, which a short case cannot.
 */
import type { ClientKind } from "./http-client";
import { runLoad } from "./load-generator";
import type { ObjectPool } from "./object-pool";
import { parseMix, type OperationMix } from "./operation-mix";
import { processTree, readRss } from "./proc-tree";
import type { Target } from "./targets/catalogue";

export const DEFAULT_SOAK_MIX = "get:70,put:20,list:10";
export const SOAK_CONCURRENCY = 16;
const WINDOW_MS = 10_000;

export interface SoakSample {
  /** seconds since the soak began */
  second: number;
  rssBytes: number;
  opsPerSecond: number;
  errors: number;
}

export interface SoakResult {
  mix: string;
  concurrency: number;
  minutes: number;
  samples: SoakSample[];
  /** the last minute's mean RSS against the first minute's: warm-up included */
  growthBytes: number;
  /** the last minute's mean RSS against the minute halfway through: growth once warm */
  lateGrowthBytes: number;
}

export async function runSoak(target: Target, pool: ObjectPool, minutes: number, mix: OperationMix | undefined, client: ClientKind, progress: (line: string) => void): Promise<SoakResult> {
  const load = mix ?? parseMix(DEFAULT_SOAK_MIX);
  const windows = Math.max(1, Math.round((minutes * 60_000) / WINDOW_MS));
  const samples: SoakSample[] = [];
  for (let i = 0; i < windows; i++) {
    const result = await runLoad({ target, mix: load, concurrency: SOAK_CONCURRENCY, warmupMs: 0, durationMs: WINDOW_MS, pool, client });
    const rssBytes = processTree(target.server.pid).reduce((total, pid) => total + readRss(pid), 0);
    const sample = { second: ((i + 1) * WINDOW_MS) / 1000, rssBytes, opsPerSecond: result.opsPerSecond, errors: result.errors };
    samples.push(sample);
    progress(`soak ${sample.second} s: ${(rssBytes / 1024 / 1024).toFixed(0)} MiB, ${result.opsPerSecond.toFixed(0)} ops/s${result.errors ? `, ${result.errors} errors` : ""}`);
  }
  const perMinute = Math.max(1, Math.round(60_000 / WINDOW_MS));
  const mean = (list: SoakSample[]) => list.reduce((total, s) => total + s.rssBytes, 0) / list.length;
  const last = mean(samples.slice(-perMinute));
  const half = Math.floor((samples.length - perMinute) / 2);
  return {
    mix: load.label,
    concurrency: SOAK_CONCURRENCY,
    minutes,
    samples,
    growthBytes: last - mean(samples.slice(0, perMinute)),
    lateGrowthBytes: last - mean(samples.slice(half, half + perMinute)),
  };
}
