/**
 * CPU load from worker threads, one per core, each busy for a share (the duty cycle) of every
 * 50 ms period and asleep for the rest. The duty is shared memory, so a change is felt within
 * one period. Terminating a thread stops it at once, even mid-loop.
 *
 * The thread's code is a string evaluated by Node itself, so that it runs the same under
 * `tsx` and plain `node` (a .ts worker file would need the loader in every thread).
 */
import { Worker } from "node:worker_threads";

const THREAD_CODE = `
const { workerData } = require("node:worker_threads");
const duty = new Int32Array(workerData);
const PERIOD_MS = 50;
for (;;) {
  const start = performance.now();
  const busyMs = (PERIOD_MS * Atomics.load(duty, 0)) / 1e6;
  while (performance.now() - start < busyMs) {}
  const rest = PERIOD_MS - (performance.now() - start);
  if (rest > 0) Atomics.wait(duty, 1, 0, rest);
}
`;

/** Duty as an integer in millionths, so that threads read it with one atomic load. */
const SCALE = 1e6;

export class BusyThreads {
  readonly #duty = new Int32Array(new SharedArrayBuffer(8));
  readonly #threads: Worker[];

  constructor(count: number, duty: number) {
    this.setDuty(duty);
    this.#threads = Array.from({ length: count }, () => {
      const thread = new Worker(THREAD_CODE, { eval: true, workerData: this.#duty.buffer, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } });
      thread.unref();
      return thread;
    });
  }

  /** A fraction of each period, 0–1. */
  setDuty(duty: number): void {
    Atomics.store(this.#duty, 0, Math.round(Math.min(1, Math.max(0, duty)) * SCALE));
  }

  async stop(): Promise<void> {
    this.setDuty(0);
    await Promise.all(this.#threads.map((thread) => thread.terminate()));
  }
}
