/**
 * The OTLP exporter, with each span's service named by the code that made it. The library
 * gives every span of an isolate one resource, set when the isolate's first traced call
 * came in; but one isolate hosts the Durable Objects of two services (the bucket objects
 * are metadata-service's state, the storage nodes storage-service's). A span carrying
 * SERVICE_ATTRIBUTE is exported under that service's name.
 */
import { OTLPExporter } from "@microlabs/otel-cf-workers";
import type { ExportResult } from "@opentelemetry/core";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

export const SERVICE_ATTRIBUTE = "mocks3.service";

export class ServiceResourceExporter implements SpanExporter {
  private readonly otlp: OTLPExporter;
  private readonly resources = new Map<string, Resource>();

  constructor(url: string) {
    this.otlp = new OTLPExporter({ url });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.otlp.export(
      spans.map((span) => this.named(span)),
      done,
    );
  }

  shutdown(): Promise<void> {
    return this.otlp.shutdown();
  }

  private named(span: ReadableSpan): ReadableSpan {
    const service = span.attributes[SERVICE_ATTRIBUTE];
    if (typeof service !== "string" || span.resource.attributes["service.name"] === service) return span;
    let resource = this.resources.get(service);
    if (!resource) this.resources.set(service, (resource = span.resource.merge(resourceFromAttributes({ "service.name": service }))));
    // the span as it is, with another resource: its other fields are read through the prototype
    return Object.create(span, { resource: { value: resource } }) as ReadableSpan;
  }
}
