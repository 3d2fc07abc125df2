/**
 * W3C trace context in one place: the active span's ids (for log lines and RPC calls) and a
 * caller's `traceparent` header read (version-traceid-spanid-flags).
 */
import { trace, type SpanContext } from "@opentelemetry/api";

export interface TraceIds {
  traceId: string;
  spanId: string;
}

function activeSpanContext(): SpanContext | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context : undefined;
}

/** The active span's ids; undefined while nothing is traced. */
export function currentTraceIds(): TraceIds | undefined {
  const context = activeSpanContext();
  return context && { traceId: context.traceId, spanId: context.spanId };
}

/** The active span as a `traceparent` to hand to a call. */
export function currentTraceparent(): string | undefined {
  const context = activeSpanContext();
  return context && `00-${context.traceId}-${context.spanId}-0${context.traceFlags & 1}`;
}

/** The ids in a caller's `traceparent`, when it sent a valid one. */
export function traceparentIds(header: string | undefined): TraceIds | undefined {
  const match = header && /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header.trim());
  return match ? { traceId: match[1]!, spanId: match[2]! } : undefined;
}
