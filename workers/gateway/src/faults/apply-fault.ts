/**
 * The gateway's fault gate: for an S3 request a rule on the gateway takes, the rule's action
 * (one module each, under actions/) decides what the client gets; every answer it touched
 * names the rule in `x-mocks3-fault-rule` and `x-mocks3-fault-action`.
 */
import type { ActionType } from "../../../../shared/faults/actions";
import { faultHeaders } from "../../../../shared/faults/injected-error";
import type { Rule } from "../../../../shared/faults/rule";
import { ackThenDrop } from "./actions/ack-then-drop";
import { commitThenError } from "./actions/commit-then-error";
import { connectionReset } from "./actions/connection-reset";
import { listLag, staleRead } from "./actions/consistency";
import { corrupt } from "./actions/corrupt";
import { delay } from "./actions/delay";
import { errorIn200 } from "./actions/error-in-200";
import { httpError } from "./actions/http-error";
import { throttle } from "./actions/throttle";
import { timeout } from "./actions/timeout";
import { truncate } from "./actions/truncate";
import type { FaultAction, FaultContext } from "./fault-context";

const ACTIONS: Record<ActionType, FaultAction> = {
  http_error: httpError,
  slow_down: httpError,
  delay,
  timeout,
  throttle,
  truncate,
  corrupt,
  connection_reset: connectionReset,
  commit_then_error: commitThenError,
  ack_then_drop: ackThenDrop,
  error_in_200: errorIn200,
  stale_read: staleRead,
  list_lag: listLag,
};

/** Streams that outlive the call (throttle) end the injection themselves. */
const ENDS_ITSELF: ReadonlySet<ActionType> = new Set(["throttle"]);

export async function applyFault(fault: FaultContext): Promise<Response> {
  const { rule } = fault.injection;
  try {
    return markFaults(await ACTIONS[rule.action.type](fault), [rule]);
  } finally {
    if (!ENDS_ITSELF.has(rule.action.type)) fault.injection.done();
  }
}

/** Names the rules that touched an answer (the first one, when several did). */
export function markFaults(response: Response, rules: Rule[]): Response {
  const [first] = rules;
  if (first && !response.headers.has("x-mocks3-fault-rule")) {
    for (const [name, value] of Object.entries(faultHeaders(first))) response.headers.set(name, value);
  }
  return response;
}
