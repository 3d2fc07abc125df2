/**
 * An OTLP/HTTP trace receiver on loopback, for tests: it takes the JSON export requests
 * @microlabs/otel-cf-workers sends to `<endpoint>/v1/traces` and keeps their spans, each with
 * the service.name of its resource.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  events: { name: string; attributes: Record<string, unknown> }[];
}

export interface OtlpReceiver {
  endpoint: string;
  spans: ReceivedSpan[];
  close(): Promise<void>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}

interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

interface OtlpRequest {
  resourceSpans: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: { traceId: string; spanId: string; parentSpanId?: string; name: string; events?: { name: string; attributes?: OtlpAttribute[] }[] }[] }[];
  }[];
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server = http.createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
    request.on("end", () => {
      if (request.url === "/v1/traces") for (const span of spansOf(JSON.parse(body) as OtlpRequest)) spans.push(span);
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function spansOf(request: OtlpRequest): ReceivedSpan[] {
  return request.resourceSpans.flatMap((resourceSpans) => {
    const service = String(attributeValue(resourceSpans.resource.attributes.find((a) => a.key === "service.name")?.value));
    return resourceSpans.scopeSpans.flatMap((scope) =>
      scope.spans.map((span) => ({
        service,
        traceId: span.traceId,
        spanId: span.spanId,
        ...(span.parentSpanId ? { parentSpanId: span.parentSpanId } : {}),
        name: span.name,
        events: (span.events ?? []).map((event) => ({ name: event.name, attributes: Object.fromEntries((event.attributes ?? []).map((a) => [a.key, attributeValue(a.value)])) })),
      })),
    );
  });
}

function attributeValue(value: OtlpValue | undefined): unknown {
  return value?.stringValue ?? value?.intValue ?? value?.boolValue ?? value?.doubleValue;
}
