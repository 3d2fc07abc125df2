/**
 * An injected fault, as the gate that injected it reports it: an event on the active span
 * (`fault.injected`, with the rule and action), and a log line (log-line.ts).
 */
import { trace } from "@opentelemetry/api";
import type { FaultEvent } from "../faults/ruleset";
import { writeLogLine } from "./log-line";
import { currentTraceIds } from "./trace-context";

export function reportInjection(event: FaultEvent, waitUntil?: (promise: Promise<unknown>) => void): void {
  trace.getActiveSpan()?.addEvent("fault.injected", {
    "mocks3.fault.rule": event.rule_name,
    "mocks3.fault.rule_id": event.rule_id,
    "mocks3.fault.action": event.action,
    "mocks3.fault.service": event.service,
  });
  const ids = currentTraceIds();
  writeLogLine(
    {
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
    },
    waitUntil,
  );
}
