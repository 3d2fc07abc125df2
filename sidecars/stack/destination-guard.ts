/**
 * The destination guard: whether a URL that a user chose — a bucket notification's webhook
 * (the gateway when it is written, queue-service at every delivery), a read-through upstream
 * (third-party-service when it is set and at every read) — would reach MockS3 itself
 * (shared/own-sockets.ts). Workers cannot resolve names, nor know the ports Miniflare draws
 * at start-up; this process can. They ask at MOCKS3_DESTINATION_GUARD:
 *
 *   GET /?url=<URL> → 200 {"refused": "<reason>"} or {}; 400 when the URL is missing or bad
 *
 * - The stack's ports: the ones configured (MOCKS3_PORT … +5, the anomalies sidecar's, the
 *   inspector's) and, once the stack is up (`settle`), every port this process and its
 *   children listen on (Miniflare's entry socket and loopback server, the gateway's socket,
 *   the front door's control channel, this guard). Questions wait until then.
 * - This machine: loopback, its interfaces' addresses and its host name. A name is resolved
 *   here and refused when an address it has is this machine's; one that does not resolve
 *   within LOOKUP_MS is let through (the delivery resolves it again, and most likely fails).
 * - An HTTP server on loopback, like the front door's control channel; it changes nothing,
 *   so it needs no secret.
 */
import { lookup } from "node:dns/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import { isAddress, isLocalName, normalAddress, ownSocketRefusal, urlPort, type OwnSockets } from "../../shared/own-sockets";
import type { StackConfig } from "./config";
import { childProcesses, listeningSockets } from "./listening-sockets";
import { SERVICES } from "./services";

const LOOKUP_MS = 2_000;

export interface DestinationGuard {
  /** what the workers get as MOCKS3_DESTINATION_GUARD */
  url: string;
  /** Adds the ports the stack's processes listen on, now that they are up; questions are answered from then on. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startDestinationGuard(config: StackConfig): Promise<DestinationGuard> {
  const configuredPorts = [...SERVICES.flatMap((service) => (service.portOffset === undefined ? [] : [config.basePort + service.portOffset])), config.anomalyPort];
  if (config.inspectorPort !== undefined) configuredPorts.push(config.inspectorPort);
  let settled!: (own: OwnSockets) => void;
  const own = new Promise<OwnSockets>((resolve) => (settled = resolve));
  const server = http.createServer(function guard(request, response) {
    request.resume();
    void verdict(new URL(request.url ?? "/", "http://guard").searchParams.get("url"), own).then(({ status, body }) => {
      response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async settle() {
      const listening = await listeningSockets([process.pid, ...(await childProcesses(process.pid))]);
      settled({ ports: new Set([...configuredPorts, port, ...listening.map((socket) => socket.port)]), hosts: machineHosts() });
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function verdict(text: string | null, own: Promise<OwnSockets>): Promise<{ status: number; body: { refused?: string; error?: string } }> {
  const url = text !== null && URL.canParse(text) ? new URL(text) : undefined;
  if (!url) return { status: 400, body: { error: `not a URL: ${JSON.stringify(text)}` } };
  return { status: 200, body: { refused: await refusal(url, await own) } };
}

async function refusal(url: URL, own: OwnSockets): Promise<string | undefined> {
  const direct = ownSocketRefusal(url, own);
  if (direct || !own.ports.has(urlPort(url)) || isAddress(url.hostname) || isLocalName(url.hostname, own.hosts)) return direct;
  for (const address of await resolve(url.hostname)) {
    const refused = ownSocketRefusal(url, own, address);
    if (refused) return refused;
  }
  return undefined;
}

/** The name's addresses; none when it does not resolve in time. */
async function resolve(name: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<[]>((resolve) => (timer = setTimeout(() => resolve([]), LOOKUP_MS)));
  const found = lookup(name, { all: true }).then(
    (addresses) => addresses.map((entry) => entry.address),
    () => [],
  );
  const addresses = await Promise.race([found, late]);
  clearTimeout(timer);
  return addresses;
}

/** The machine's interface addresses and its host name. */
function machineHosts(): Set<string> {
  const hosts = new Set([os.hostname().toLowerCase()]);
  for (const entries of Object.values(os.networkInterfaces())) {
    for (const entry of entries ?? []) {
      const address = normalAddress(entry.address);
      if (address) hosts.add(address);
    }
  }
  return hosts;
}
