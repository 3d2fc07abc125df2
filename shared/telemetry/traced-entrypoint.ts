/**
 * A WorkerEntrypoint's side of traces across RPC hops (rpc-trace.ts): the method runs in a
 * server span of the service, a child of the caller's span. @microlabs/otel-cf-workers gives
 * a tracer only to the handlers it wraps (fetch, scheduled, queue, email, Durable Object
 * methods; its configuration sits in a context slot of its own), never to an entrypoint's
 * RPC methods. So the call runs as the library's fetch handler for a stand-in request that
 * carries the caller's `traceparent`: the library makes the span, joins the trace and exports
 * the span when the call ends; the span is renamed after the method. (Its http.* attributes
 * describe that stand-in request, `POST http://<service>/rpc/<method>`.)
 */
import { instrument } from "@microlabs/otel-cf-workers";
import { trace } from "@opentelemetry/api";
import { rpcAttributes, rpcCall } from "./rpc-trace";
import { tracingConfig } from "./tracing";

/** `entrypoint`: the service it is, and its env and ctx. */
export async function serveTracedEntrypoint(
  target: object,
  traceparent: string | undefined,
  method: string,
  args: unknown[],
  entrypoint: { service: string; env: object; ctx: ExecutionContext },
): Promise<unknown> {
  const { service } = entrypoint;
  const call = rpcCall(target, method, args);
  let result: unknown;
  const handler = instrument(
    {
      async fetch() {
        trace.getActiveSpan()?.updateName(`${service} ${method}`).setAttributes(rpcAttributes(method));
        result = await call();
        return new Response(null, { status: 204 });
      },
    },
    tracingConfig(service),
  );
  const request = new Request(`http://${service}/rpc/${method}`, { method: "POST", headers: traceparent ? { traceparent } : {} });
  await handler.fetch!(request as Parameters<ExportedHandlerFetchHandler>[0], entrypoint.env as never, entrypoint.ctx);
  return result;
}
