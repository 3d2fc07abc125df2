/**
 * A signed request through node:http that reports what arrived and how the connection
 * ended, rather than failing: what a test of a broken answer (a truncated body, a reset
 * connection) needs to look at.
 */
import http from "node:http";
import { signer } from "./s3";

export interface RawOutcome {
  /** the status and headers, if an answer's head arrived */
  status?: number;
  headers?: http.IncomingHttpHeaders;
  /** the body bytes that arrived */
  body: Buffer;
  /** "end" for a complete answer, else the error's code (ECONNRESET, …) or message ("aborted") */
  ended: string;
  /** the error's message, when the connection broke */
  message?: string;
}

export async function rawSigned(url: string, init: { method?: string; body?: Uint8Array | string } = {}): Promise<RawOutcome> {
  const signed = await signer().sign(url, { method: init.method ?? "GET", body: init.body });
  const headers = Object.fromEntries(signed.headers);
  if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
  const target = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const outcome: RawOutcome = { body: Buffer.alloc(0), ended: "" };
    const finish = (ended: string, message?: string) => {
      if (outcome.ended) return;
      outcome.ended = ended;
      if (message !== undefined) outcome.message = message;
      outcome.body = Buffer.concat(chunks);
      resolve(outcome);
    };
    const request = http.request({ host: target.hostname, port: target.port, method: init.method ?? "GET", path: target.pathname + target.search, headers, agent: false }, (response) => {
      outcome.status = response.statusCode;
      outcome.headers = response.headers;
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => finish("end"));
      response.on("aborted", () => finish("aborted"));
      response.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message, error.message));
      response.on("close", () => finish(response.complete ? "end" : "aborted"));
    });
    request.on("error", (error: NodeJS.ErrnoException) => finish(error.code ?? error.message, error.message));
    request.end(init.body);
  });
}
