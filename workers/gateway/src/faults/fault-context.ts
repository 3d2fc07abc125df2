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

/** A response with a new body and the same status and headers (bytes passed as they are). */
export function withBody(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers, encodeBody: "manual" });
}
