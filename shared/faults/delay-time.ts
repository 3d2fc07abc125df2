/**
 * How long an injection waits: a delay its fixed delay, or a draw between min and max
 * (seeded); an error (http_error, slow_down) its `delay` before the answer, if it has one.
 * `waitOut` is that wait, wherever an injection is carried out (the gateway's actions, the
 * metadata hop, the services' RPC gates); a halt ends it at once.
 */
import { durationMs } from "./duration";
import type { Injection } from "./gate";
import { sleep } from "./sleep";

export async function waitOut(injection: Injection): Promise<void> {
  const ms = delayMs(injection);
  if (ms > 0) await sleep(ms, injection.signal);
}

export function delayMs(injection: Injection): number {
  const action = injection.rule.action;
  if (action.type === "http_error" || action.type === "slow_down") return action.delay === undefined ? 0 : durationMs(action.delay)!;
  if (action.type !== "delay") return 0;
  if (action.delay !== undefined) return durationMs(action.delay)!;
  const min = durationMs(action.min)!;
  const max = durationMs(action.max)!;
  return min + injection.counter.draw(injection.n, 1) * (max - min);
}
