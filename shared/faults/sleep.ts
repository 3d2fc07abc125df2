/** A wait that ends early, resolving false, when the injection's rule stops being in force. */
import type { RuleStop } from "./rule-stop";

export function sleep(ms: number, stop?: RuleStop): Promise<boolean> {
  if (stop?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      forget?.();
      resolve(true);
    }, ms);
    const forget = stop?.onStop(() => {
      resolve(false);
      clearTimeout(timer);
    });
  });
}
