/**
 * TraceSpanProcessor (shared/telemetry/trace-span-processor.ts): a flush sends the trace's
 * ended spans and leaves its open ones alone (one isolate serves calls of a trace side by
 * side), and sends nothing of other traces. Real spans, from the OpenTelemetry SDK's tracer.
 */
import { ROOT_CONTEXT, trace } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { TraceSpanProcessor } from "../../shared/telemetry/trace-span-processor";

function setUp() {
  const exporter = new InMemorySpanExporter();
  const processor = new TraceSpanProcessor(exporter);
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer("test");
  const sent = () => exporter.getFinishedSpans().map((span) => span.name);
  return { processor, tracer, sent };
}

describe("TraceSpanProcessor", () => {
  it("TraceSpanProcessor › a flush sends the trace's ended spans; a span still open is sent, unchanged, after it ends", async () => {
    const { processor, tracer, sent } = setUp();
    const root = tracer.startSpan("root");
    const inside = trace.setSpan(ROOT_CONTEXT, root);
    const first = tracer.startSpan("first write", {}, inside);
    const second = tracer.startSpan("second write", {}, inside);
    first.end();
    await processor.forceFlush(root.spanContext().traceId);
    expect(sent()).toEqual(["first write"]);
    expect(second.isRecording()).toBe(true);
    second.end();
    root.end();
    await processor.forceFlush(root.spanContext().traceId);
    expect(sent()).toEqual(["first write", "second write", "root"]);
    await processor.forceFlush(root.spanContext().traceId);
    expect(sent()).toHaveLength(3);
  });

  it("TraceSpanProcessor › a flush of one trace sends nothing of another; a flush of all sends every trace", async () => {
    const { processor, tracer, sent } = setUp();
    const one = tracer.startSpan("one");
    const other = tracer.startSpan("other");
    one.end();
    other.end();
    await processor.forceFlush(one.spanContext().traceId);
    expect(sent()).toEqual(["one"]);
    await processor.forceFlush();
    expect(sent()).toEqual(["one", "other"]);
  });
});
