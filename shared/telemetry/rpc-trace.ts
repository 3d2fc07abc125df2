/**
 * Traces across RPC hops, which @microlabs/otel-cf-workers does not follow: a call through a
 * traced binding becomes `stub.traced(traceparent, method, args)`, and the callee runs the
 * method under that trace, in a server span of its own: `serveTraced` in a Durable Object
 * (whose methods the library gives a tracer, traced-durable-object.ts),
 * `serveTracedEntrypoint` in a WorkerEntrypoint (traced-entrypoint.ts). Only while tracing
 * is on: otherwise bindings are not wrapped and nothing here runs.
 */
import { exportSpans } from "@microlabs/otel-cf-workers";
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { SERVICE_ATTRIBUTE } from "./service-resource-exporter";
import { currentTraceparent } from "./trace-context";

/** What a traced callee offers: every RPC method of it, called under the caller's trace. */
export interface TracedCallee {
  traced(traceparent: string | undefined, method: string, args: unknown[]): Promise<unknown>;
}

/** The env with the named bindings (Durable Object namespaces or service bindings) traced. */
export function tracedBindings<E extends object>(env: E, bindings: Record<string, string>): E {
  const names = Object.keys(bindings);
  if (names.length === 0) return env;
  const wrapped = { ...env } as Record<string, unknown>;
  for (const name of names) {
    const binding = (env as Record<string, unknown>)[name];
    if (binding) wrapped[name] = isNamespace(binding) ? tracedNamespace(binding) : tracedStub(binding as TracedCallee);
  }
  return wrapped as E;
}

/** A namespace, not an RPC stub (which answers every property, `idFromName` too). */
function isNamespace(binding: unknown): binding is DurableObjectNamespace {
  const probe = binding as Record<string, unknown>;
  return !probe[`no such property ${Math.random()}`] && typeof probe.idFromName === "function";
}

function tracedNamespace(namespace: DurableObjectNamespace): DurableObjectNamespace {
  return new Proxy(namespace, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === "get" || prop === "getByName") return (...args: unknown[]) => tracedStub(Reflect.apply(value as (...a: unknown[]) => TracedCallee, target, args));
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** each traced stub's own stub: a stub passed as an argument must be the real one (RPC cannot send a Proxy) */
const stubs = new WeakMap<object, object>();

/**
 * A stub whose method calls go through `traced`; `fetch` is left alone. It has no symbol
 * properties: an RPC stub answers any property, symbols too, which would make
 * @microlabs/otel-cf-workers take it for one of its own wrappers.
 */
function tracedStub<T extends TracedCallee>(stub: T): T {
  const traced = new Proxy(stub, {
    get(target, prop) {
      if (typeof prop === "symbol") return undefined;
      if (prop === "fetch" || prop === "then" || prop === "traced") return Reflect.get(target, prop, target);
      return (...args: unknown[]) =>
        target.traced(
          currentTraceparent(),
          prop,
          args.map((arg) => (typeof arg === "object" && arg !== null && stubs.get(arg)) || arg),
        );
    },
  });
  stubs.set(traced, stub);
  return traced;
}

/** `target[method](...args)` as a thunk, for a method name that came over RPC. */
export function rpcCall(target: object, method: string, args: unknown[]): () => unknown {
  const fn = method === "traced" || method === "constructor" ? undefined : (target as Record<string, unknown>)[method];
  if (typeof fn !== "function") throw new TypeError(`no RPC method ${method}`);
  return () => Reflect.apply(fn, target, args) as unknown;
}

/** The attributes of a callee's span. */
export function rpcAttributes(method: string): Record<string, string> {
  return { "rpc.system": "cloudflare_workers", "rpc.method": method };
}

/**
 * A Durable Object's side: runs `target[method](...args)` under the caller's trace, in a
 * server span named after the service and method, exported when the call ends (the library
 * exports only the spans of the handlers it wraps itself).
 */
export async function serveTraced(
  target: object,
  traceparent: string | undefined,
  method: string,
  args: unknown[],
  span: { service: string; waitUntil(promise: Promise<unknown>): void },
): Promise<unknown> {
  const call = rpcCall(target, method, args);
  const parent = traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : context.active();
  const attributes = { [SERVICE_ATTRIBUTE]: span.service, ...rpcAttributes(method) };
  return trace.getTracer("mocks3-rpc").startActiveSpan(`${span.service} ${method}`, { kind: SpanKind.SERVER, attributes }, parent, async (active) => {
    try {
      return await call();
    } catch (error) {
      active.recordException(error as Error);
      active.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      active.end();
      span.waitUntil(exportSpans(active.spanContext().traceId));
    }
  });
}
