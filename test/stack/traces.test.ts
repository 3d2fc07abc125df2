/**
 * OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT set): one PutObject is one trace, with
 * spans from the gateway, metadata-service (the bucket object) and storage-service (the
 * storage nodes), each parent in the trace; an injected fault is an event on the
 * span of the service that injected it (metadata-service's is decided at the gateway, in a
 * span of metadata-service there); the request's log line carries the trace id. The rule
 * store is traced as mock-error-service's state.
 */
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LogLine } from "../../shared/telemetry/log-line";
import { waitFor } from "../helpers/anomalies";
import { DEFAULT_KEY } from "../helpers/credentials";
import { addRule, deleteRule } from "../helpers/faults";
import { logLines } from "../helpers/log-file";
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from "../helpers/otlp-receiver";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let receiver: OtlpReceiver;
let stack: StackProcess;
let s3: S3Client;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  stack = await startStackProcess({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint } });
  s3 = new S3Client({ endpoint: stack.endpoint, region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 1 });
  await fetch(`${stack.endpoint}/traced`, { method: "PUT" });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

/** The PutObject's request id → its log line → its trace id → its spans, once all three services sent theirs. */
async function traceOf(requestId: string, services: string[]): Promise<{ line: LogLine; spans: ReceivedSpan[] }> {
  const line = await waitFor("the request's log line", async () => {
    return (await logLines(stack.dataDir)).find((l) => l.kind === "request" && l.request_id === requestId);
  });
  expect(line.kind === "request" && line.trace_id).toMatch(/^[0-9a-f]{32}$/);
  const traceId = line.kind === "request" ? line.trace_id : undefined;
  const spans = await waitFor("the trace's spans from every service", () => {
    const found = receiver.spans.filter((span) => span.traceId === traceId);
    return services.every((service) => found.some((span) => span.service === service)) ? found : undefined;
  });
  return { line, spans };
}

describe("traces across the services", () => {
  it("one PutObject is one trace: gateway → metadata-service and storage-service, parents in the trace", async () => {
    // larger than MOCKS3_INLINE_MAX_BYTES: the bytes go to the storage nodes
    const answer = await s3.send(new PutObjectCommand({ Bucket: "traced", Key: "large.bin", Body: new Uint8Array(200 * 1024).fill(7) }));
    const requestId = answer.$metadata.requestId!;
    const { spans } = await traceOf(requestId, ["gateway", "metadata-service", "storage-service"]);
    const roots = spans.filter((span) => !span.parentSpanId);
    expect(roots).toHaveLength(1);
    expect(roots[0]!.service).toBe("gateway");
    const ids = new Set(spans.map((span) => span.spanId));
    for (const span of spans) if (span.parentSpanId) expect(ids.has(span.parentSpanId)).toBe(true);
    expect(spans.find((span) => span.service === "metadata-service")!.name).toBe("metadata-service putObject");
    expect(spans.filter((span) => span.service === "storage-service").map((span) => span.name)).toContain("storage-service write");
  });

  it("a rule written through mock-error-service is one trace: its request's span, and the rule store's span under it", async () => {
    const rule = await addRule({ name: "traced-rule-write", service: "gateway", enabled: false, action: { type: "delay", delay: "1ms" } }, stack.services["mock-error-service"]);
    await deleteRule(rule.id, stack.services["mock-error-service"]);
    const store = await waitFor("the rule store's span", () => receiver.spans.find((span) => span.name === "mock-error-service create"));
    expect(store.service).toBe("mock-error-service");
    const request = await waitFor("its parent", () => receiver.spans.find((span) => span.spanId === store.parentSpanId));
    expect(request).toMatchObject({ service: "mock-error-service", traceId: store.traceId });
    expect(request.parentSpanId).toBeUndefined();
  });

  // 200 KiB: above MOCKS3_INLINE_MAX_BYTES, so that the request reaches storage-service
  it.each([
    { service: "gateway", span: /^fetchHandler PUT/ },
    { service: "metadata-service", span: /^metadata-service / },
    { service: "storage-service", span: /^storage-service / },
  ])("a fault injected by $service is an event on $service's span, with the rule and the action", async ({ service, span: spanName }) => {
    const name = `traced-${service}-fault`;
    const rule = await addRule(
      {
        name,
        service,
        conditions: [
          { type: "operation", value: "PutObject" },
          { type: "bucket", value: "traced" },
        ],
        action: { type: "http_error", http_code: 503 },
      },
      stack.services["mock-error-service"],
    );
    try {
      const answer = await fetch(`${stack.endpoint}/traced/faulted-${service}.bin`, { method: "PUT", body: new Uint8Array(200 * 1024).fill(9) });
      expect(answer.status).toBe(503);
      const { spans } = await traceOf(answer.headers.get("x-amz-request-id")!, ["gateway", service]);
      const event = spans.flatMap((span) => span.events.map((e) => ({ span, ...e }))).find((e) => e.name === "fault.injected");
      expect(event?.span.service).toBe(service);
      expect(event?.span.name).toMatch(spanName);
      expect(event?.attributes).toMatchObject({ "mocks3.fault.rule": name, "mocks3.fault.action": "http_error", "mocks3.fault.service": service });
      const ids = new Set(spans.map((span) => span.spanId));
      for (const span of spans) if (span.parentSpanId) expect(ids.has(span.parentSpanId)).toBe(true);
    } finally {
      await deleteRule(rule.id, stack.services["mock-error-service"]);
    }
  });
});
