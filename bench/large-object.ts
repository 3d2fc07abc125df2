/**
 * One large object (256 MiB by default) PUT and then GET, each streamed: the PUT body is
 * generated block by block as the socket drains, the GET body checked as it lands in one kept
 * read buffer (raw-get.ts, pattern-bytes.ts), so the generator holds about two blocks whatever the size.
 * The server's memory is sampled from /proc throughout (memory.ts).
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { exchange } from "./http-exchange";
import { MemorySampler, type MemoryReport } from "./memory";
import { BLOCK_SIZE, patternBlock, PatternVerifier } from "./pattern-bytes";
import { cpuByExecutable, cpuDelta, processTree } from "./proc-tree";
import { rawGet } from "./raw-get";
import { EMPTY_SHA256, encodeKeyPath, UNSIGNED_PAYLOAD } from "./sigv4-signer";
import type { PayloadMode } from "./object-pool";
import { BUCKET, type Target, type TargetName } from "./targets/catalogue";

const TRANSFER_TIMEOUT_MS = 300_000;
const IDLE_SAMPLING_MS = 1_000;

export interface TransferResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  generatorCpuPercent: number;
  serverCpuPercent: Record<string, number>;
  error?: string;
}

export interface LargeResult {
  target: TargetName;
  bytes: number;
  put: TransferResult;
  /** absent for the bare worker, whose GET does not return what was PUT */
  get?: TransferResult;
  memory: MemoryReport;
}

/** What x-amz-content-sha256 says for the large body: a real hash costs one pass over the pattern up front. */
export function largePayloadHash(bytes: number, mode: PayloadMode): string {
  if (mode === "unsigned") return UNSIGNED_PAYLOAD;
  const hash = createHash("sha256");
  for (let offset = 0, i = 0; offset < bytes; offset += BLOCK_SIZE, i++) hash.update(patternBlock(i, Math.min(BLOCK_SIZE, bytes - offset)));
  return hash.digest("hex");
}

export async function runLargeCase(target: Target, bytes: number, payloadHash: string): Promise<LargeResult> {
  const path = encodeKeyPath(BUCKET, `large/${bytes}`);
  // A connection per transfer: workerd may close a kept-alive connection after a large
  // body, and a GET sent on it would fail with "socket hang up" (seen against direct).
  const agent = new http.Agent({ keepAlive: false });
  const sampler = new MemorySampler(target.server.pid);
  try {
    await sampler.settle(IDLE_SAMPLING_MS);
    sampler.phase("put");
    const put = await measured(target, bytes, () => streamPut(target, agent, path, bytes, payloadHash));
    let get: TransferResult | undefined;
    if (target.storesObjects && !put.error) {
      sampler.phase("get");
      get = await measured(target, bytes, () => streamGet(target, path, bytes));
    }
    const memory = sampler.stop();
    if (target.storesObjects) await deleteObject(target, agent, path).catch(() => undefined);
    return { target: target.name, bytes, put, ...(get ? { get } : {}), memory };
  } finally {
    sampler.stop();
    agent.destroy();
  }
}

/** Runs one transfer, timing it and taking the generator's and server's CPU over it. */
export async function measured(target: Target, bytes: number, transfer: () => Promise<string | undefined>): Promise<TransferResult> {
  const pids = processTree(target.server.pid);
  const serverBefore = cpuByExecutable(pids);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const error = await transfer().catch((e: Error) => e.message);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpu = cpuDelta(serverBefore, cpuByExecutable(pids));
  return {
    bytes,
    seconds,
    mbPerSecond: error ? Number.NaN : bytes / seconds / 1e6,
    generatorCpuPercent: (cpu.user + cpu.system) / 1e4 / seconds,
    serverCpuPercent: Object.fromEntries(Object.entries(serverCpu).map(([name, s]) => [name, (s / seconds) * 100])),
    ...(error ? { error } : {}),
  };
}

/** PUTs `bytes` of the pattern; resolves to an error message, or undefined on 200. */
function streamPut(target: Target, agent: http.Agent, path: string, bytes: number, payloadHash: string): Promise<string | undefined> {
  const headers = target.signer.sign("PUT", path, "", payloadHash);
  headers["content-length"] = String(bytes);
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, hostname: target.url.hostname, port: target.url.port, method: "PUT", path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve(response.statusCode === 200 ? undefined : `PUT: HTTP ${response.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
      response.on("error", reject);
    });
    request.setTimeout(TRANSFER_TIMEOUT_MS, () => request.destroy(new Error(`PUT: no answer in ${TRANSFER_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    pump(request, bytes).catch((error: Error) => request.destroy(error));
  });
}

/** Writes the pattern block by block, waiting for 'drain': at most a block or two in flight. */
async function pump(request: http.ClientRequest, bytes: number): Promise<void> {
  for (let sent = 0, block = 0; sent < bytes; block++) {
    const chunk = patternBlock(block, Math.min(BLOCK_SIZE, bytes - sent));
    sent += chunk.byteLength;
    if (!request.write(chunk)) await drainedOrClosed(request);
    if (request.destroyed) return;
  }
  request.end();
}

/** Resolves on 'drain' (or 'close', when the server answered early), leaving no listener behind. */
export function drainedOrClosed(request: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      request.off("drain", done);
      request.off("close", done);
      resolve();
    };
    request.on("drain", done);
    request.on("close", done);
  });
}

/** GETs the object and checks every byte against the pattern as it streams in. */
async function streamGet(target: Target, path: string, bytes: number): Promise<string | undefined> {
  const headers = target.signer.sign("GET", path, "", EMPTY_SHA256);
  const verifier = new PatternVerifier();
  const answer = await rawGet(target.url, path, headers, (piece) => verifier.update(piece), TRANSFER_TIMEOUT_MS);
  if (answer.status !== 200) return `GET: HTTP ${answer.status} ${answer.start}`;
  if (verifier.mismatchAt !== undefined) return `GET: bytes differ from what was PUT at offset ${verifier.mismatchAt}`;
  if (verifier.offset !== bytes) return `GET: ${verifier.offset} bytes, expected ${bytes}`;
  return undefined;
}

async function deleteObject(target: Target, agent: http.Agent, path: string): Promise<void> {
  const headers = target.signer.sign("DELETE", path, "", EMPTY_SHA256);
  await exchange(agent, { hostname: target.url.hostname, port: target.url.port }, "DELETE", path, headers);
}
