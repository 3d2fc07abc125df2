/**
 * One HTTP request with its request line exactly as given. fetch (WHATWG URL) resolves `.`
 * and `..` segments, even percent-encoded ones, before sending; node:http sends the path as
 * written, as the AWS SDKs and the AWS CLI do.
 */
import http from "node:http";

export interface RawRequest {
  /** e.g. http://127.0.0.1:8080 */
  origin: string;
  method: string;
  /** the request target, sent byte for byte */
  path: string;
  /** a `host` here overrides the origin's (virtual-hosted-style requests) */
  headers?: Record<string, string>;
  body?: Uint8Array | string;
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawRequest({ origin, method, path, headers = {}, body }: RawRequest): Promise<RawResponse> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { host: url.host, ...headers, "content-length": String(body ? Buffer.byteLength(body) : 0) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (d: string) => (text += d));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}
