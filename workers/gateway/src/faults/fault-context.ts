/** What a gateway fault action gets: the injection, the request, and the answer without it. */
import type { Injection } from "../../../../shared/faults/gate";
import type { S3Context } from "../s3/context";

export interface FaultContext {
  injection: Injection;
  ctx: S3Context;
  /** runs the handler (on `request` when given, e.g. a throttled body) and renders its answer or error */
  respond(request?: Request): Promise<Response>;
}

/** Returns the answer the client gets, or throws the S3Error it gets. */
export type FaultAction = (fault: FaultContext) => Promise<Response>;

/**
 * A response with a new body and the same status and headers (bytes passed as they are). A
 * body of a declared length goes through a FixedLengthStream: workerd sends a plain stream
 * chunked and drops Content-Length, which the actions must keep (a truncated answer still
 * declares its full length; a throttled or corrupted one looks like the real answer).
 */
export function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  const declared = response.headers.get("content-length");
  const sent = declared !== null && /^\d+$/.test(declared) ? body.pipeThrough(new FixedLengthStream(Number(declared))) : body;
  return new Response(sent, { status: response.status, statusText: response.statusText, headers: response.headers, encodeBody: "manual" });
}
