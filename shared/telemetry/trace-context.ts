/** The active span's ids, for log lines; undefined while nothing is traced. */
import { trace } from "@opentelemetry/api";

export function currentTraceIds(): { traceId: string; spanId: string } | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  if (!context || !trace.isSpanContextValid(context)) return undefined;
  return { traceId: context.traceId, spanId: context.spanId };
}
