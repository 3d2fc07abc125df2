/**
 * A worker's fetch handler, traced by @microlabs/otel-cf-workers while tracing is on
 * (tracing.ts): a span per request, joined to the caller's trace (`traceparent`), with the
 * worker's RPC bindings passing the trace on (rpc-trace.ts).
 */
import { instrument } from "@microlabs/otel-cf-workers";
import { tracedBindings } from "./rpc-trace";
import { tracingConfig, tracingEndpoint } from "./tracing";

type Fetch<E> = (request: Request, env: E, ctx: ExecutionContext) => Response | Promise<Response>;

/** `rpc`: the env's bindings whose calls carry the trace, by binding name → the service called. */
export function tracedWorker<E>(service: string, fetch: Fetch<E>, rpc: Record<string, string> = {}): { fetch: Fetch<E> } {
  const traced = instrument({ fetch: fetch as ExportedHandlerFetchHandler }, tracingConfig(service));
  return {
    fetch(request, env, ctx) {
      if (!tracingEndpoint(env)) return fetch(request, env, ctx);
      return traced.fetch!(request as Parameters<ExportedHandlerFetchHandler>[0], tracedBindings(env as object, rpc), ctx) as Promise<Response>;
    },
  };
}
