/**
 * The front door's own answers, for what never reaches the gateway: a request it cannot
 * frame (400 and the reason, as S3 answers malformed HTTP), a body that ends early or stalls
 * (IncompleteBody, RequestTimeout), a gateway it cannot reach (503). Each is an S3 error
 * document, so SDKs read the code and retry or give up as they would against S3, and each
 * closes the connection: after any of them the stream's framing can no longer be trusted.
 */
import { randomBytes } from "node:crypto";
import { renderErrorDocument } from "../../shared/s3-xml";

export class FramingError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the S3 error code the answer carries */
    readonly code = status === 431 ? "RequestHeaderSectionTooLarge" : "BadRequest",
  ) {
    super(message);
  }
}

const REASONS: Record<number, string> = { 400: "Bad Request", 431: "Request Header Fields Too Large", 503: "Service Unavailable" };

/** A whole HTTP/1.1 answer carrying an S3 error document, ending the connection. */
export function errorAnswer(status: number, code: string, message: string): string {
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const body = renderErrorDocument({ code, message, resource: "/", requestId });
  return (
    `HTTP/1.1 ${status} ${REASONS[status] ?? "Error"}\r\nContent-Type: application/xml\r\nx-amz-request-id: ${requestId}\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}
