/**
 * OpenTelemetry traces (@microlabs/otel-cf-workers): on while OTEL_EXPORTER_OTLP_ENDPOINT is
 * set, spans exported as OTLP/HTTP JSON to `<endpoint>/v1/traces`. While it is not set nothing
 * is instrumented: the plain handler or class runs (traced-worker.ts,
 * traced-durable-object.ts), and a request pays one look-up of the variable.
 */
import type { ResolveConfigFn, TraceConfig } from "@microlabs/otel-cf-workers";
import { ServiceResourceExporter } from "./service-resource-exporter";
import { TraceSpanProcessor } from "./trace-span-processor";

interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

export function tracingEndpoint(env: unknown): string | undefined {
  const endpoint = (env as TracingEnv | undefined)?.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return endpoint ? endpoint.replace(/\/+$/, "") : undefined;
}

/**
 * one configuration per service and endpoint in an isolate: the library asks for it on every
 * traced call, but its tracer keeps the span processor of the first (one per isolate,
 * trace-span-processor.ts)
 */
const configs = new Map<string, TraceConfig>();

/** The library's configuration for a worker or Durable Object of `service`. */
export function tracingConfig(service: string): ResolveConfigFn {
  return (env) => {
    const url = `${tracingEndpoint(env)}/v1/traces`;
    const key = `${service} ${url}`;
    let config = configs.get(key);
    if (!config) configs.set(key, (config = { spanProcessors: new TraceSpanProcessor(new ServiceResourceExporter(url)), service: { name: service, namespace: "mocks3" } }));
    return config;
  };
}
