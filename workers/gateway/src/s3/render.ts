/**
 * Turns handler results and errors into HTTP responses — the only place that does. Every
 * response carries `x-amz-request-id`; every error is S3's XML error document (without a
 * body for HEAD, as S3 does); an unexpected exception becomes InternalError, its stack going
 * to the log, never to the client.
 */
import { S3Error } from "../../../../shared/s3-errors";
import { discardUnreadBody } from "../body/discard-body";
import { renderErrorDocument, renderXml } from "../../../../shared/s3-xml";
import type { S3Result } from "./context";

export interface ResponseContext {
  requestId: string;
  method: string;
  /** the path the error document names as its Resource */
  resource: string;
}

export function renderResult(result: S3Result, rc: ResponseContext): Response {
  // A plain object: the Response builds its Headers once (a Headers here would be copied).
  const headers: Record<string, string> = { ...result.headers, "x-amz-request-id": rc.requestId };
  let body: BodyInit | null = result.body ?? null;
  if (result.xml) {
    body = renderXml(result.xml);
    headers["content-type"] = "application/xml";
  }
  if (rc.method === "HEAD") body = null;
  // "manual": the bytes are the object's, already in its Content-Encoding; workerd would
  // otherwise gzip a body whose stored Content-Encoding is gzip a second time.
  return new Response(body, { status: result.status ?? 200, headers, encodeBody: "manual" });
}

export function renderError(error: unknown, rc: ResponseContext): Response {
  const s3Error = error instanceof S3Error ? error : internalError(error, rc);
  const headers = new Headers(s3Error.headers);
  headers.set("x-amz-request-id", rc.requestId);
  if (s3Error.status === 304 || rc.method === "HEAD") return new Response(null, { status: s3Error.status, headers });
  headers.set("content-type", "application/xml");
  const body = renderErrorDocument({
    code: s3Error.code,
    message: s3Error.message,
    resource: rc.resource,
    requestId: rc.requestId,
    details: s3Error.details,
  });
  return new Response(body, { status: s3Error.status, headers });
}

/** An error in answer to `request`: what is left of its body is read first (discard-body.ts). */
export async function renderRequestError(error: unknown, request: Request, rc: ResponseContext): Promise<Response> {
  await discardUnreadBody(request);
  return renderError(error, rc);
}

function internalError(error: unknown, rc: ResponseContext): S3Error {
  console.error(JSON.stringify({ level: "error", msg: "unhandled error", requestId: rc.requestId, error: String(error), stack: (error as Error)?.stack }));
  return new S3Error("InternalError");
}
