/**
 * A stand-in for mock-error-service's experiments API (`/api/v1/experiments`), for testing
 * `npm run experiment` without a stack: it answers the POST as told, then each GET with the
 * next of a scripted series of results (the last one repeated), the report as a fixed page,
 * and an abort with the result it is given. It records what it was sent.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ExperimentResult } from "../../shared/experiments/result";

export interface FakeScript {
  /** what the POST answers; default 201 with the first of `results` */
  refuse?: { status: number; body: unknown };
  /** what successive GETs answer (the POST answers the first) */
  results: ExperimentResult[];
  /** what an abort answers */
  aborted?: ExperimentResult;
  report?: string;
}

export interface FakeExperimentsApi {
  url: string;
  requests: Array<{ method: string; path: string; contentType: string | undefined; body: string }>;
  close(): Promise<void>;
}

export async function fakeExperimentsApi(script: FakeScript): Promise<FakeExperimentsApi> {
  const requests: FakeExperimentsApi["requests"] = [];
  let reads = 0;
  const server: Server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const path = request.url ?? "/";
    requests.push({ method: request.method ?? "GET", path, contentType: request.headers["content-type"], body });
    const send = (status: number, value: unknown, type = "application/json") => {
      response.writeHead(status, { "content-type": type });
      response.end(typeof value === "string" ? value : JSON.stringify(value));
    };
    const id = script.results[0]?.id;
    if (request.method === "POST" && path === "/api/v1/experiments") {
      if (script.refuse) send(script.refuse.status, script.refuse.body);
      else send(201, script.results[0]);
    } else if (request.method === "GET" && path === `/api/v1/experiments/${id}`) {
      reads = Math.min(reads + 1, script.results.length - 1);
      send(200, script.results[reads]);
    } else if (request.method === "GET" && path === `/api/v1/experiments/${id}/report`) {
      send(200, script.report ?? "<!DOCTYPE html><title>report</title>", "text/html");
    } else if (request.method === "POST" && path === `/api/v1/experiments/${id}/abort` && script.aborted) {
      send(200, script.aborted);
    } else send(404, { error: "not_found", reason: `no ${request.method} ${path}` });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
