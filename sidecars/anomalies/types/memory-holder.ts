/**
 * Real, resident memory held by a worker thread: Buffers (outside the V8 heap) of 64 MiB,
 * one byte written per page so that the kernel really backs each page. Releasing terminates
 * the thread, which frees every Buffer at once — no wait for a garbage collection.
 *
 * Why 64 MiB: glibc serves allocations above its mmap threshold (at most 32 MiB on 64-bit,
 * however it adapts) with their own mappings, and gives them back to the kernel when freed;
 * smaller blocks could stay in the heap after free and keep the RSS up. Pages of a block that
 * are not yet touched cost nothing, so the growth step can be finer than the block.
 *
 * The thread's code is a string evaluated by Node itself (see busy-threads.ts).
 */
import { Worker } from "node:worker_threads";

const THREAD_CODE = `
const { parentPort } = require("node:worker_threads");
const BLOCK = 64 * 1024 * 1024;
const PAGE = 4096;
const blocks = [];
let held = 0;
parentPort.on("message", (goal) => {
  while (held < goal) {
    const at = held % BLOCK;
    if (at === 0) blocks.push(Buffer.alloc(BLOCK));
    const block = blocks[blocks.length - 1];
    const end = Math.min(BLOCK, at + (goal - held));
    for (let i = at; i < end; i += PAGE) block[i] = 1;
    held += end - at;
  }
  parentPort.postMessage(held);
});
`;

export class MemoryHolder {
  readonly #thread = new Worker(THREAD_CODE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: 16 } });
  #held = 0;
  #failure: Error | undefined;

  constructor() {
    this.#thread.on("error", (error) => (this.#failure = error));
  }

  get heldBytes(): number {
    return this.#held;
  }

  /** Grows what is held to `goal` bytes (rounded up to a page); never shrinks. */
  async growTo(goal: number): Promise<number> {
    if (this.#failure) throw this.#failure;
    if (goal <= this.#held) return this.#held;
    this.#held = await new Promise<number>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.#thread.once("error", onError);
      this.#thread.once("message", (held: number) => {
        this.#thread.off("error", onError);
        resolve(held);
      });
      this.#thread.postMessage(goal);
    });
    return this.#held;
  }

  async release(): Promise<void> {
    await this.#thread.terminate();
    this.#held = 0;
  }
}
