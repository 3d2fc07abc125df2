/**
 * Work a caller does on behalf of another service, as a span of that service: the gateway
 * decides metadata-service's faults on its own side of the hop (it calls the bucket objects
 * directly), and the trace shows them where the client feels them, at the metadata-service
 * hop (its delay as the span's length, its injection as the span's event). Only while a span
 * is active, i.e. while tracing is on; otherwise the work just runs.
 */
import { SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SERVICE_ATTRIBUTE } from "./service-resource-exporter";

export async function hopSpan<T>(service: string, name: string, work: () => Promise<T>): Promise<T> {
  if (!trace.getActiveSpan()) return work();
  return trace.getTracer("mocks3-hop").startActiveSpan(`${service} ${name}`, { kind: SpanKind.INTERNAL, attributes: { [SERVICE_ATTRIBUTE]: service } }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
