/**
 * `delay`: waits before the handler runs (`at: "request"`), or after it, before the first
 * byte of the answer (`at: "first_byte"`: the work is done, the client still waits). A halt
 * or a disabled rule ends the wait at once.
 */
import { waitOut } from "../../../../../shared/faults/delay-time";
import type { FaultAction } from "../fault-context";

export const delay: FaultAction = async ({ injection, respond }) => {
  const action = injection.rule.action;
  if (action.type === "delay" && action.at === "first_byte") {
    const response = await respond();
    await waitOut(injection);
    return response;
  }
  await waitOut(injection);
  return respond();
};
