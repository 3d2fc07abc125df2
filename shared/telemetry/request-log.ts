/**
 * One log line per request a worker answers (log-line.ts), written when its response is
 * ready: a Hono middleware, first in every worker's app. A handler that knows more than the
 * route — the gateway's S3 operation and bucket — says so in `c.var.requestLog`. A service
 * answering over RPC writes its calls' lines with `logRequest`.
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

/** A request's line, from what its service knows of it. */
export interface RequestLine {
  service: string;
  operation: string;
  method: string;
  bucket?: string;
  status: number;
  /** when it arrived (ms since the epoch) */
  started: number;
  bytesIn: number;
  bytesOut: number;
  requestId?: string | null;
  /** the rule that touched the answer (x-mocks3-fault-rule), and its action */
  faultRuleId?: string | null;
  faultAction?: string | null;
  /** the trace it belongs to, when not the active span's */
  traceIds?: { traceId: string; spanId: string };
}

/** Writes a request's line: timestamp, duration and trace ids added here. */
export function logRequest(line: RequestLine, waitUntil?: (promise: Promise<unknown>) => void): void {
  const ids = currentTraceIds() ?? line.traceIds;
  writeLogLine(
    {
      "@timestamp": new Date(line.started).toISOString(),
      kind: "request",
      service: line.service,
      operation: line.operation,
      method: line.method,
      ...(line.bucket ? { bucket: line.bucket } : {}),
      status: line.status,
      duration_ms: Date.now() - line.started,
      bytes_in: line.bytesIn,
      bytes_out: line.bytesOut,
      ...optional("request_id", line.requestId),
      ...(ids ? { trace_id: ids.traceId, span_id: ids.spanId } : {}),
      ...optional("fault_rule_id", line.faultRuleId),
      ...optional("fault_action", line.faultAction),
      message: `${line.service} ${line.operation} ${line.status}`,
    },
    waitUntil,
  );
}

export function requestLog(service: string): MiddlewareHandler<{ Variables: RequestLogVariables }> {
  return async (c, next) => {
    const started = Date.now();
    const facts: RequestLogFacts = {};
    c.set("requestLog", facts);
    await next();
    const { req, res } = c;
    logRequest(
      {
        service,
        operation: facts.operation ?? routeOf(routePath(c)),
        method: req.method,
        bucket: facts.bucket,
        status: res.status,
        started,
        bytesIn: bodyLength(req.header("x-amz-decoded-content-length") ?? req.header("content-length")),
        bytesOut: bodyLength(res.headers.get("content-length")),
        requestId: res.headers.get("x-amz-request-id"),
        faultRuleId: res.headers.get("x-mocks3-fault-rule"),
        faultAction: res.headers.get("x-mocks3-fault-action"),
        traceIds: traceparentIds(req.header("traceparent")),
      },
      waitUntilOf(c),
    );
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

function optional<K extends string>(name: K, value: string | null | undefined): { [P in K]?: string } {
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
