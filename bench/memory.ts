/**
 * A server's memory while it moves a large object: the RSS of its whole process tree (the
 * Node process hosting Miniflare and the front door, plus workerd) sampled every 100 ms from
 * /proc, and the generator's own RSS beside it — to show the generator streams too.
 *
 * Summing RSS counts pages shared between processes twice; for "does a 256 MiB upload stay
 * within 64 MiB of idle" that errs on the safe side.
 */
import { processTree, readRss, readStat } from "./proc-tree";

export const SAMPLE_INTERVAL_MS = 100;

export interface MemoryReport {
  /** the median of the samples taken at rest, before any phase */
  idleBytes: number;
  /** the last idle sample split by executable */
  idleByExecutable: Record<string, number>;
  /** the largest sample during each phase, e.g. { put: …, get: … } */
  peakBytes: Record<string, number>;
  /** each phase's peak split by executable (node, workerd, …): which process grew */
  peakByExecutable: Record<string, Record<string, number>>;
  /** the generator process's own largest RSS while sampling */
  generatorPeakBytes: number;
  samples: number;
}

export class MemorySampler {
  readonly #pids: number[];
  readonly #names: Map<number, string>;
  readonly #idle: number[] = [];
  readonly #peaks: Record<string, number> = {};
  readonly #peakSplits: Record<string, Record<string, number>> = {};
  #idleSplit: Record<string, number> = {};
  #phase: string | undefined;
  #generatorPeak = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Starts sampling the tree under `rootPid` (its members are looked up once: workerd does not fork). */
  constructor(rootPid: number) {
    this.#pids = processTree(rootPid);
    this.#names = new Map(this.#pids.map((pid) => [pid, readStat(pid)?.comm ?? String(pid)]));
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), SAMPLE_INTERVAL_MS);
  }

  /** Samples at rest for `ms`, before the first phase. */
  async settle(ms: number): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Samples from now on count as `name`'s. */
  phase(name: string): void {
    this.#phase = name;
    this.#peaks[name] ??= 0;
    this.#sample();
  }

  stop(): MemoryReport {
    this.#sample();
    clearInterval(this.#timer);
    const idle = [...this.#idle].sort((a, b) => a - b);
    return {
      idleBytes: idle[Math.floor(idle.length / 2)] ?? 0,
      idleByExecutable: this.#idleSplit,
      peakBytes: { ...this.#peaks },
      peakByExecutable: { ...this.#peakSplits },
      generatorPeakBytes: this.#generatorPeak,
      samples: this.#samples,
    };
  }

  #sample(): void {
    let rss = 0;
    const split: Record<string, number> = {};
    for (const pid of this.#pids) {
      const bytes = readRss(pid);
      const name = this.#names.get(pid)!;
      split[name] = (split[name] ?? 0) + bytes;
      rss += bytes;
    }
    this.#samples++;
    this.#generatorPeak = Math.max(this.#generatorPeak, process.memoryUsage.rss());
    if (this.#phase === undefined) {
      this.#idle.push(rss);
      this.#idleSplit = split;
    } else if (rss > (this.#peaks[this.#phase] ?? 0)) {
      this.#peaks[this.#phase] = rss;
      this.#peakSplits[this.#phase] = split;
    }
  }
}
