/**
 * network_storm: `target_value` concurrent keep-alive connections to the target service
 * (at most caps.maxConnections), each sending `GET /health` back to back for the anomaly's
 * duration, so that the service's latency really rises while it still answers. Its metric,
 * network_connections, is measured: the connections this anomaly has open right now.
 *
 * Only services on loopback are stormed: anything else is refused. Every connection is closed
 * at the end; a killed sidecar's connections are closed by the kernel with the process.
 */
import http from "node:http";
import type net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import ipaddr from "ipaddr.js";
import type { AnomalyModule } from "../anomaly-module";

const PATH = "/health";
const REPORT_EVERY_MS = 500;
/** after a failed request, so that a service that refuses is not spun against */
const BACKOFF_MS = 50;

export const networkStorm: AnomalyModule = {
  async run(ctx) {
    const target = loopbackTarget(ctx.services[ctx.spec.service], ctx.spec.service);
    const count = Math.max(1, Math.min(Math.floor(ctx.spec.target_value), ctx.caps.maxConnections));
    const agent = new http.Agent({ keepAlive: true, maxSockets: count, maxFreeSockets: count });
    const open = new Set<net.Socket>();
    if (count < ctx.spec.target_value) ctx.note(`${count} connections: the cap (MOCKS3_ANOMALY_MAX_CONNECTIONS)`);
    const report = () => {
      const now = connected(open);
      ctx.hold("connections", now);
      ctx.report(now);
    };
    const meter = setInterval(report, REPORT_EVERY_MS);
    try {
      await Promise.all(Array.from({ length: count }, () => requestLoop(agent, target, open, ctx.signal)));
    } finally {
      clearInterval(meter);
      agent.destroy();
      for (const socket of open) socket.destroy();
      report();
    }
  },
};

/** The service's URL, if it is on loopback. */
export function loopbackTarget(base: string | undefined, service: string): URL {
  if (!base) throw new Error(`no URL for ${service}`);
  const url = new URL(base);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || (ipaddr.isValid(host) && ipaddr.process(host).range() === "loopback");
  if (!loopback) throw new Error(`network_storm targets loopback only; ${service} is at ${url.host}`);
  return url;
}

async function requestLoop(agent: http.Agent, target: URL, open: Set<net.Socket>, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    try {
      await get(agent, target, open, signal);
    } catch {
      await sleep(BACKOFF_MS, undefined, { signal }).catch(() => undefined);
    }
  }
}

function get(agent: http.Agent, target: URL, open: Set<net.Socket>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.get({ agent, host: target.hostname.replace(/^\[|\]$/g, ""), port: target.port, path: PATH, signal }, (response) => {
      response.on("end", resolve).on("error", reject).resume();
    });
    request.on("error", reject);
    request.on("socket", (socket) => {
      if (open.has(socket)) return;
      open.add(socket);
      socket.once("close", () => open.delete(socket));
    });
  });
}

function connected(open: Set<net.Socket>): number {
  let n = 0;
  for (const socket of open) if (!socket.connecting && !socket.destroyed) n++;
  return n;
}
