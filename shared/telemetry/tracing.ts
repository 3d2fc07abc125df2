/**
 * OpenTelemetry traces (@microlabs/otel-cf-workers): on while OTEL_EXPORTER_OTLP_ENDPOINT is
 * set, spans exported as OTLP/HTTP JSON to `<endpoint>/v1/traces`. While it is not set nothing
 * is instrumented: the plain handler or class runs (traced-worker.ts,
 * traced-durable-object.ts), and a request pays one look-up of the variable.
 */
import type { ResolveConfigFn } from "@microlabs/otel-cf-workers";
import { ServiceResourceExporter } from "./service-resource-exporter";

interface TracingEnv {
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

export function tracingEndpoint(env: unknown): string | undefined {
  const endpoint = (env as TracingEnv | undefined)?.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return endpoint ? endpoint.replace(/\/+$/, "") : undefined;
}

/** The library's configuration for a worker or Durable Object of `service`. */
export function tracingConfig(service: string): ResolveConfigFn {
  return (env) => ({
    exporter: new ServiceResourceExporter(`${tracingEndpoint(env)}/v1/traces`),
    service: { name: service, namespace: "mocks3" },
  });
}
