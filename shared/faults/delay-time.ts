/** How long a delay injection waits: its fixed delay, or a draw between min and max (seeded). */
import { durationMs } from "./duration";
import type { Injection } from "./gate";

export function delayMs(injection: Injection): number {
  const action = injection.rule.action;
  if (action.type !== "delay") return 0;
  if (action.delay !== undefined) return durationMs(action.delay)!;
  const min = durationMs(action.min)!;
  const max = durationMs(action.max)!;
  return min + injection.counter.draw(injection.n, 1) * (max - min);
}
