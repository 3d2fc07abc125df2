/**
 * `timeout`: the request is held, unanswered, until the client gives up (its cancellation
 * ends the hold) or the rule's `max` (default 60 s) passes; then the client gets 504, as
 * from a load balancer that stopped waiting. Halting the rule lets held requests through.
 */
import { durationMs } from "../../../../../shared/faults/duration";
import { faultHeaders } from "../../../../../shared/faults/injected-error";
import { sleep } from "../../../../../shared/faults/sleep";
import { S3Error } from "../../../../../shared/s3-errors";
import type { FaultAction } from "../fault-context";

const DEFAULT_MAX_MS = 60_000;

export const timeout: FaultAction = async ({ injection, respond }) => {
  const action = injection.rule.action;
  const max = action.type === "timeout" && action.max !== undefined ? durationMs(action.max)! : DEFAULT_MAX_MS;
  const heldToTheEnd = await sleep(max, injection.signal);
  if (!heldToTheEnd) return respond();
  throw S3Error.injected("GatewayTimeout", 504, `No answer within ${Math.round(max)} ms (timeout fault).`, faultHeaders(injection.rule));
};
