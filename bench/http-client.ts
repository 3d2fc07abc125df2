/**
 * The generator's connections, whichever client carries them: `raw` (http1-connection.ts,
 * the default, cheapest per request) or `node-http` (a keep-alive node:http Agent), so a
 * figure that looks generator-bound can be cross-checked with Node's own client.
 */
import { exchange, keepAliveAgent, REQUEST_TIMEOUT_MS, type Endpoint, type Exchange } from "./http-exchange";
import { Http1Connection } from "./http1-connection";

export const CLIENT_KINDS = ["raw", "node-http"] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** One request in flight at a time, on a connection kept alive between requests. */
export interface Connection {
  request(method: string, path: string, headers: Record<string, string>, body?: Buffer): Promise<Exchange>;
}

export interface ConnectionSet {
  connections: Connection[];
  close(): void;
}

export function openConnections(kind: ClientKind, endpoint: Endpoint, count: number): ConnectionSet {
  if (kind === "raw") {
    const connections = Array.from({ length: count }, () => new Http1Connection(endpoint, REQUEST_TIMEOUT_MS));
    const close = () => {
      for (const c of connections) c.close();
    };
    return { connections, close };
  }
  const agent = keepAliveAgent(count);
  const connection: Connection = { request: (method, path, headers, body) => exchange(agent, endpoint, method, path, headers, body) };
  return { connections: Array.from({ length: count }, () => connection), close: () => agent.destroy() };
}
