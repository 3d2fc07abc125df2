/** The log line of an injected fault (log-line.ts), from the gate that injected it. */
import type { FaultEvent } from "../faults/ruleset";
import { writeLogLine } from "./log-line";
import { currentTraceIds } from "./trace-context";

export function logInjection(event: FaultEvent, waitUntil?: (promise: Promise<unknown>) => void): void {
  const ids = currentTraceIds();
  writeLogLine({
    "@timestamp": event.time,
    kind: "fault",
    service: event.service,
    operation: event.operation,
    bucket: event.bucket,
    key: event.key,
    request_id: event.request_id,
    ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
    fault_rule: event.rule_name,
    fault_rule_id: event.rule_id,
    fault_action: event.action,
    message: `${event.service}: rule ${event.rule_name} injected ${event.action} into ${event.operation}`,
  }, waitUntil);
}
