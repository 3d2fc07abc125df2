/**
 * A server's memory while it moves a large object: the RSS of its whole process tree (the
 * Node process hosting Miniflare and the front door, plus workerd) sampled every 100 ms from
 * /proc, and the generator's own RSS beside it — to show the generator streams too.
 *
 * Summing RSS counts pages shared between processes twice; for "does a 256 MiB upload stay
 * within 64 MiB of idle" that errs on the safe side.
 */
import { processTree, readRss } from "./proc-tree";

export const SAMPLE_INTERVAL_MS = 100;

export interface MemoryReport {
  /** the median of the samples taken at rest, before any phase */
  idleBytes: number;
  /** the largest sample during each phase, e.g. { put: …, get: … } */
  peakBytes: Record<string, number>;
  /** the generator process's own largest RSS while sampling */
  generatorPeakBytes: number;
  samples: number;
}

export class MemorySampler {
  readonly #pids: number[];
  readonly #idle: number[] = [];
  readonly #peaks: Record<string, number> = {};
  #phase: string | undefined;
  #generatorPeak = 0;
  #samples = 0;
  #timer: NodeJS.Timeout | undefined;

  /** Starts sampling the tree under `rootPid` (its members are looked up once: workerd does not fork). */
  constructor(rootPid: number) {
    this.#pids = processTree(rootPid);
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
      peakBytes: { ...this.#peaks },
      generatorPeakBytes: this.#generatorPeak,
      samples: this.#samples,
    };
  }

  #sample(): void {
    let rss = 0;
    for (const pid of this.#pids) rss += readRss(pid);
    this.#samples++;
    this.#generatorPeak = Math.max(this.#generatorPeak, process.memoryUsage.rss());
    if (this.#phase === undefined) this.#idle.push(rss);
    else this.#peaks[this.#phase] = Math.max(this.#peaks[this.#phase] ?? 0, rss);
  }
}
