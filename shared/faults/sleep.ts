/**
 * A wait that ends early, resolving false, when the injection's rule stops being in force.
 *
 * The signal is a plain flag, set by the request that brings the next rule set (a push from
 * mock-error-service, or a poll): workerd binds timers, listeners and AbortControllers to
 * the request that made them, so nothing set from another request can wake this one. The
 * wait is cut into slices instead, each a timer of the waiting request that looks at the
 * flag; a halt ends it within a slice.
 */
import type { StopSignal } from "./gate";

const SLICE_MS = 25;

export async function sleep(ms: number, signal?: StopSignal): Promise<boolean> {
  const end = Date.now() + ms;
  for (let left = ms; left > 0; left = end - Date.now()) {
    if (signal?.aborted) return false;
    await new Promise((resolve) => setTimeout(resolve, signal ? Math.min(left, SLICE_MS) : left));
  }
  return !signal?.aborted;
}
