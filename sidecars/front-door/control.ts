/**
 * The front door's control channel: how the gateway worker, which never sees the client's
 * TCP connection, has the front door reset one (connection-level faults). Its protocol is
 * in shared/front-door-protocol.ts.
 *
 * - An HTTP server on loopback, on a port of its own, started before Miniflare so that its
 *   URL can be a binding of the gateway (MOCKS3_FRONT_DOOR_CONTROL). Under Miniflare a
 *   worker's fetch() reaches loopback: its outbound network allows private addresses.
 * - The URL's path starts with a secret drawn at every start, so that other processes on the
 *   machine (another stack, say) cannot reset this one's connections; a wrong or missing
 *   secret is answered like an unknown path.
 *
 *   POST /<secret>/connections/<id>/reset → 204 once the RST is sent, 404 for no such connection
 *   PUT /<secret>/refuse?until=<ISO time>  → 204 once the front door refuses connections
 *                                            (refusal.ts), 400 for a bad or past time
 *   DELETE /<secret>/refuse                 → 204 once it listens again
 *   GET /<secret>/digests/<ticket>          → 200 with a body's BodyDigestReport (once), 404 for no such ticket
 *   POST /<secret>/chunk-replicas/<id>/<idx>?from=<node>&to=<node>
 *                                           → 204 once a chunk file is on another node too
 *                                             (sidecars/stack/chunk-replicas.ts; with `blobDir` only)
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type net from "node:net";
import { replicateChunk } from "../stack/chunk-replicas";
import { BodyDigestTable } from "./body-digests";
import type { ConnectionTable } from "./connections";
import { Refusal } from "./refusal";

export interface Control {
  /** the control URL, secret included, e.g. http://127.0.0.1:41235/5f0c… */
  url: string;
  close(): Promise<void>;
}

const RESET_PATH = /^\/([^/]+)\/connections\/([^/]+)\/reset$/;
const REFUSE = /^\/([^/]+)\/refuse(?:\?until=([^&]*))?$/;
const DIGEST_PATH = /^\/([^/]+)\/digests\/([^/]+)$/;
const CHUNK_REPLICA = /^\/([^/]+)\/chunk-replicas\/([^/?]+)\/([^/?]+)\?from=([^&]*)&to=([^&]*)$/;

export interface ControlOptions {
  refusal?: Refusal;
  digests?: BodyDigestTable;
  /** the storage nodes' blob files, for chunk replicas */
  blobDir?: string;
}

export async function startControl(connections: ConnectionTable, { refusal = new Refusal(), digests = new BodyDigestTable(), blobDir }: ControlOptions = {}): Promise<Control> {
  const secret = randomBytes(24).toString("hex");
  const server = http.createServer(function control(request, response) {
    request.resume();
    const refuse = REFUSE.exec(request.url ?? "");
    if (refuse && sameSecret(refuse[1]!, secret)) return void response.writeHead(refuseStatus(refusal, request.method, refuse[2])).end();
    const digest = DIGEST_PATH.exec(request.url ?? "");
    if (digest && sameSecret(digest[1]!, secret)) {
      if (request.method !== "GET") return void response.writeHead(405, { allow: "GET" }).end();
      const report = digests.take(safeDecode(digest[2]!) ?? "");
      if (!report) return void response.writeHead(404).end();
      return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(report));
    }
    const replica = CHUNK_REPLICA.exec(request.url ?? "");
    if (replica && blobDir && sameSecret(replica[1]!, secret)) {
      if (request.method !== "POST") return void response.writeHead(405, { allow: "POST" }).end();
      const [id, idx, from, to] = replica.slice(2).map((part) => safeDecode(part!) ?? "");
      replicateChunk(blobDir, id!, idx!, from!, to!).then(
        (answer) => response.writeHead(answer === "made" ? 204 : answer === "no-source" ? 404 : 400).end(),
        (error: unknown) => response.writeHead(500).end(String(error)),
      );
      return;
    }
    const match = RESET_PATH.exec(request.url ?? "");
    if (!match || !sameSecret(match[1]!, secret)) return void response.writeHead(404).end();
    if (request.method !== "POST") return void response.writeHead(405, { allow: "POST" }).end();
    const id = safeDecode(match[2]!);
    response.writeHead(id !== undefined && connections.reset(id) ? 204 : 404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${secret}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** PUT ?until= refuses, DELETE lifts the refusal. */
function refuseStatus(refusal: Refusal, method: string | undefined, until: string | undefined): number {
  if (method === "DELETE") {
    refusal.lift();
    return 204;
  }
  if (method !== "PUT") return 405;
  const at = Date.parse(safeDecode(until ?? "") ?? "");
  return refusal.refuse(at) ? 204 : 400;
}

function sameSecret(given: string, secret: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A bad percent-escape names no connection; thrown here it would end the process. */
function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
