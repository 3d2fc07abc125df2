/**
 * One HTTP/1.1 request and its whole response over a keep-alive node:http Agent — the
 * thinnest client Node ships (fetch adds streams and a Headers object per request). The
 * response body is always read to its end, or the socket could not be reused.
 */
import http from "node:http";

export interface Exchange {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Endpoint {
  hostname: string;
  port: string;
}

/** A request that takes longer than this has hung; the bench moves on with an error. */
export const REQUEST_TIMEOUT_MS = 30_000;
const EMPTY = Buffer.alloc(0);

export function exchange(agent: http.Agent, endpoint: Endpoint, method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, hostname: endpoint.hostname, port: endpoint.port, method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const joined = chunks.length === 0 ? EMPTY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: joined });
      });
      response.on("error", reject);
    });
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    request.end(body);
  });
}

/** A keep-alive agent for `sockets` concurrent requests: one connection per request in flight. */
export function keepAliveAgent(sockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, scheduling: "fifo" });
}
