/**
 * The front door on MOCKS3_PORT (8080): a small HTTP/1.1 proxy in front of the gateway
 * worker, for what workerd cannot do.
 *
 * - workerd never answers `Expect: 100-continue`, so the AWS CLI, boto3 and rclone would
 *   stall a second per upload; Node's server answers it (it sends `100 Continue` whenever no
 *   'checkContinue' listener is installed).
 * - Both bodies stream; nothing is buffered. Connections are kept alive on both sides.
 * - The method, path, query and every end-to-end header (Host included) pass through
 *   byte for byte, since SigV4 signs them. Only hop-by-hop headers are dropped, and path
 *   segments that are exactly `.` or `..` are sent as `%2E` / `%2E%2E`: workerd would
 *   resolve them away, while in S3 they are part of the key (the gateway signs and reads
 *   them as the dots they are).
 * - When the gateway answers before taking the whole body (an error found in the headers),
 *   the rest of the upload is not forwarded; the client's connection closes after the answer.
 *
 * Later issues hang connection-level faults here.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { renderErrorDocument } from "../../shared/s3-xml";

export interface FrontDoorOptions {
  host: string;
  port: number;
  /** the gateway worker's own socket, e.g. http://127.0.0.1:41234 */
  target: string;
}

export interface FrontDoor {
  url: string;
  close(): Promise<void>;
}

/** RFC 9110 §7.6.1: meaningful only for one connection, never forwarded. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer"]);

export async function startFrontDoor({ host, port, target }: FrontDoorOptions): Promise<FrontDoor> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1024, maxFreeSockets: 256, scheduling: "lifo" });
  const server = http.createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, noDelay: true }, (req, res) => {
    let answered = false;
    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: keepDotSegments(req.url ?? "/"),
        headers: endToEnd(req.rawHeaders),
        setHost: false,
        agent,
      },
      (answer) => {
        answered = true;
        if (!req.complete) {
          req.unpipe(proxied);
          req.resume();
          res.shouldKeepAlive = false;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.rawHeaders));
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      },
    );
    proxied.on("error", (error) => {
      // After an answer, the gateway dropping the connection (it did not read the rest of
      // the body) is no failure of this request; the answer is already on its way.
      if (!answered) unavailable(res, req.url ?? "/", error);
    });
    res.on("close", () => {
      if (!res.writableFinished) proxied.destroy();
    });
    req.pipe(proxied);
  });
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`,
    async close() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The request target with `.` and `..` path segments percent-encoded. */
export function keepDotSegments(target: string): string {
  const queryAt = target.indexOf("?");
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  if (!path.includes("/.")) return target;
  const encoded = path
    .split("/")
    .map((segment) => (segment === "." ? "%2E" : segment === ".." ? "%2E%2E" : segment))
    .join("/");
  return queryAt < 0 ? encoded : encoded + target.slice(queryAt);
}

/** Raw headers without the hop-by-hop ones, order and case kept. */
function endToEnd(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) kept.push(raw[i]!, raw[i + 1]!);
  }
  return kept;
}

/** The gateway could not be reached: an S3 error clients retry, as they would a real 503. */
function unavailable(res: http.ServerResponse, resource: string, error: Error): void {
  if (res.headersSent) {
    res.destroy(error);
    return;
  }
  const requestId = randomBytes(8).toString("hex").toUpperCase();
  const body = renderErrorDocument({ code: "ServiceUnavailable", message: "The gateway is not answering.", resource, requestId });
  res.writeHead(503, { "content-type": "application/xml", "x-amz-request-id": requestId, "content-length": Buffer.byteLength(body) });
  res.end(body);
}
