/**
 * A webhook receiver for notification tests: an HTTP server on loopback that records every
 * POST (path, parsed body, arrival time) and answers with what `answer` says for that path
 * and attempt (200 unless told otherwise).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  body: any;
  at: number;
}

export interface WebhookReceiver {
  /** the base URL; a target's destination is this plus a path */
  url: string;
  received: Received[];
  /** what arrived at `path` */
  at(path: string): Received[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(answer: (path: string, attempt: number) => number = () => 200): Promise<WebhookReceiver> {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      const text = Buffer.concat(chunks).toString();
      received.push({ path, body: text ? JSON.parse(text) : undefined, at: Date.now() });
      response.statusCode = answer(path, received.filter((r) => r.path === path).length);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    at: (path) => received.filter((r) => r.path === path),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
