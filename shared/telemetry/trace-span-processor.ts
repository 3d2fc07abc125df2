/**
 * The span processor: keeps each trace's ended spans until `exportSpans(traceId)` (which the
 * library calls when a handler ends, and rpc-trace.ts when an RPC call ends) sends them, and
 * forgets the trace once none of its spans is open. It replaces the library's
 * BatchTraceSpanProcessor, which keeps an entry (and the trace's first span) for every trace
 * an isolate ever saw, and ends every span still open when a trace is flushed: wrong where
 * one isolate serves calls of the same trace at once (the two replicas' writes of a PutObject
 * run in the Durable Objects' isolate side by side).
 */
import type { TraceFlushableSpanProcessor } from "@microlabs/otel-cf-workers";
import { TraceFlags } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanExporter } from "@opentelemetry/sdk-trace-base";

/** traces kept at most: a span never ended must not keep its trace for ever */
const MAX_TRACES = 10_000;

interface TraceSpans {
  open: number;
  ended: ReadableSpan[];
}

export class TraceSpanProcessor implements TraceFlushableSpanProcessor {
  private readonly traces = new Map<string, TraceSpans>();

  constructor(private readonly exporter: SpanExporter) {}

  onStart(span: Span): void {
    const id = span.spanContext().traceId;
    const spans = this.traces.get(id);
    if (spans) spans.open++;
    else this.traces.set(id, { open: 1, ended: [] });
    if (this.traces.size > MAX_TRACES) this.traces.delete(this.traces.keys().next().value!);
  }

  onEnd(span: ReadableSpan): void {
    const spans = this.traces.get(span.spanContext().traceId);
    if (!spans) return;
    spans.open--;
    if (span.spanContext().traceFlags & TraceFlags.SAMPLED) spans.ended.push(span);
  }

  async forceFlush(traceId?: string): Promise<void> {
    const ids = traceId === undefined ? [...this.traces.keys()] : [traceId];
    await Promise.all(ids.map((id) => this.flush(id)));
  }

  shutdown(): Promise<void> {
    return this.forceFlush();
  }

  private flush(traceId: string): Promise<void> {
    const spans = this.traces.get(traceId);
    if (!spans) return Promise.resolve();
    if (spans.open <= 0) this.traces.delete(traceId);
    const ended = spans.ended.splice(0);
    if (ended.length === 0) return Promise.resolve();
    // an export that fails loses these spans, never the request (the library only logs it, too)
    return new Promise((resolve) => this.exporter.export(ended, () => resolve()));
  }
}
