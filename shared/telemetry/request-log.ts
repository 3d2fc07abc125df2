/**
 * One log line per request a worker answers (log-line.ts), written when its response is
 * ready: a Hono middleware, first in every worker's app. A handler that knows more than the
 * route — the gateway's S3 operation and bucket — says so in `c.var.requestLog`.
 */
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { writeLogLine } from "./log-line";
import { currentTraceIds, traceparentIds } from "./trace-context";

/** What a handler adds to its request's log line. */
export interface RequestLogFacts {
  operation?: string;
  bucket?: string;
}

export type RequestLogVariables = { requestLog: RequestLogFacts };

export function requestLog(service: string): MiddlewareHandler<{ Variables: RequestLogVariables }> {
  return async (c, next) => {
    const started = Date.now();
    const facts: RequestLogFacts = {};
    c.set("requestLog", facts);
    await next();
    const { req, res } = c;
    const operation = facts.operation ?? routeOf(routePath(c));
    const status = res.status;
    const ids = currentTraceIds() ?? traceparentIds(req.header("traceparent"));
    writeLogLine({
      "@timestamp": new Date(started).toISOString(),
      kind: "request",
      service,
      operation,
      method: req.method,
      ...(facts.bucket ? { bucket: facts.bucket } : {}),
      status,
      duration_ms: Date.now() - started,
      bytes_in: bodyLength(req.header("x-amz-decoded-content-length") ?? req.header("content-length")),
      bytes_out: bodyLength(res.headers.get("content-length")),
      ...optional("request_id", res.headers.get("x-amz-request-id")),
      ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
      ...optional("fault_rule_id", res.headers.get("x-mocks3-fault-rule")),
      ...optional("fault_action", res.headers.get("x-mocks3-fault-action")),
      message: `${service} ${operation} ${status}`,
    }, waitUntilOf(c));
  };
}

/** Routes no handler took are one label, not one per path. */
function routeOf(path: string): string {
  return path === "*" || path === "/*" ? "unmatched" : path;
}

function bodyLength(header: string | null | undefined): number {
  const n = header ? Number(header) : 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

function optional<K extends string>(name: K, value: string | null): { [P in K]?: string } {
  return value ? ({ [name]: value } as { [P in K]?: string }) : {};
}

/** The request's waitUntil; a context without an execution context (Hono's app.request in tests) has none. */
function waitUntilOf(c: Context): ((promise: Promise<unknown>) => void) | undefined {
  try {
    const exec = c.executionCtx;
    return (promise) => exec.waitUntil(promise);
  } catch {
    return undefined;
  }
}
