/**
 * The multipart case: one object (256 MiB by default) uploaded as CreateMultipartUpload,
 * its parts (8 MiB) PUT several at a time (4), and CompleteMultipartUpload — the way
 * lib-storage and the AWS CLI upload large files. Each part is generated block by block as
 * its socket drains (pattern-bytes.ts), so the generator holds a few blocks per part in
 * flight; the stack's memory is sampled throughout (memory.ts). The answer is checked: the
 * ETag Complete returns must be the MD5 of the parts' MD5s, computed here beforehand.
 * Timed from the Create to the Complete's answer; compared with a plain copy of the same
 * bytes on this disk (file-copy.ts), measured in the same run.
 *
 * Memory is judged against the stack's idle RSS before the run's first large transfer: a
 * large body leaves workerd's RSS at a high-water mark (its isolates' garbage, ~170 MiB
 * here, reused by later transfers), so an idle taken after the large-object case would
 * hide what a first transfer costs.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { exchange } from "./http-exchange";
import { drainedOrClosed, measured, type TransferResult } from "./large-object";
import { MemorySampler, type MemoryReport } from "./memory";
import { BLOCK_SIZE, patternSlice } from "./pattern-bytes";
import { canonicalQuery, EMPTY_SHA256, encodeKeyPath, UNSIGNED_PAYLOAD } from "./sigv4-signer";
import { measureFileCopy, type FileCopyResult } from "./file-copy";
import { BUCKET, type Target, type TargetName } from "./targets/catalogue";

const IDLE_SAMPLING_MS = 1_000;
const PART_TIMEOUT_MS = 120_000;

export interface MultipartPlan {
  bytes: number;
  partBytes: number;
  /** parts in flight at once */
  concurrency: number;
}

export interface MultipartResult extends MultipartPlan {
  target: TargetName;
  upload: TransferResult;
  fileCopy: FileCopyResult;
  memory: MemoryReport;
  /** the idle RSS growth is judged against: the lower of this case's and the large case's */
  baselineIdleBytes: number;
}

/** `coldIdleBytes`: the stack's idle RSS before the run's large-object case, if it ran. */
export async function runMultipartCase(target: Target, plan: MultipartPlan, scratchDir: string, coldIdleBytes?: number): Promise<MultipartResult> {
  const fileCopy = await measureFileCopy(scratchDir, plan.bytes);
  const parts = partsOf(plan);
  const expectedEtag = multipartEtag(parts);
  const path = encodeKeyPath(BUCKET, `multipart/${plan.bytes}`);
  // A connection per request: workerd may close a kept-alive connection after a large body.
  const agent = new http.Agent({ keepAlive: false, maxSockets: plan.concurrency + 1 });
  const sampler = new MemorySampler(target.server.pid);
  try {
    await sampler.settle(IDLE_SAMPLING_MS);
    sampler.phase("multipart");
    const upload = await measured(target, plan.bytes, () => uploadInParts(target, agent, path, parts, plan.concurrency, expectedEtag));
    const memory = sampler.stop();
    await send(target, agent, "DELETE", path, "").catch(() => undefined);
    const baselineIdleBytes = Math.min(memory.idleBytes, coldIdleBytes ?? memory.idleBytes);
    return { ...plan, target: target.name, upload, fileCopy, memory, baselineIdleBytes };
  } finally {
    sampler.stop();
    agent.destroy();
  }
}

interface Part {
  number: number;
  offset: number;
  length: number;
}

function partsOf({ bytes, partBytes }: MultipartPlan): Part[] {
  const parts: Part[] = [];
  for (let offset = 0; offset < bytes; offset += partBytes) parts.push({ number: parts.length + 1, offset, length: Math.min(partBytes, bytes - offset) });
  return parts;
}

/** S3's multipart ETag of the pattern's parts, computed before the clock starts. */
function multipartEtag(parts: Part[]): string {
  const outer = createHash("md5");
  for (const part of parts) {
    const inner = createHash("md5");
    for (let done = 0; done < part.length; done += BLOCK_SIZE) inner.update(patternSlice(part.offset + done, Math.min(BLOCK_SIZE, part.length - done)));
    outer.update(inner.digest());
  }
  return `"${outer.digest("hex")}-${parts.length}"`;
}

/** Create, every part with `concurrency` in flight, Complete; resolves to an error message or undefined. */
async function uploadInParts(target: Target, agent: http.Agent, path: string, parts: Part[], concurrency: number, expectedEtag: string): Promise<string | undefined> {
  const created = await send(target, agent, "POST", path, "uploads=");
  const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created)?.[1];
  if (!uploadId) return `CreateMultipartUpload: no UploadId in ${created.slice(0, 300)}`;
  const etags: string[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < parts.length; i = next++) etags[i] = await putPart(target, agent, path, uploadId, parts[i]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const body = `<CompleteMultipartUpload>${parts.map((p, i) => `<Part><PartNumber>${p.number}</PartNumber><ETag>${etags[i]}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
  const completed = await send(target, agent, "POST", path, canonicalQuery({ uploadId }), Buffer.from(body));
  const etag = /<ETag>([^<]+)<\/ETag>/.exec(completed)?.[1]?.replace(/&quot;/g, '"');
  return etag === expectedEtag ? undefined : `CompleteMultipartUpload: ETag ${etag}, expected ${expectedEtag}`;
}

/** One signed request with a small body; resolves to the answer's text, rejects unless 2xx. */
async function send(target: Target, agent: http.Agent, method: string, path: string, query: string, body?: Buffer): Promise<string> {
  const headers = target.signer.sign(method, path, query, body ? UNSIGNED_PAYLOAD : EMPTY_SHA256);
  headers["content-length"] = String(body?.byteLength ?? 0);
  const answer = await exchange(agent, { hostname: target.url.hostname, port: target.url.port }, method, query ? `${path}?${query}` : path, headers, body);
  const text = answer.body.toString();
  if (answer.status < 200 || answer.status > 299) throw new Error(`${method} ${path}?${query}: HTTP ${answer.status} ${text.slice(0, 300)}`);
  return text;
}

/** PUTs one part, streamed block by block; resolves to its ETag. */
function putPart(target: Target, agent: http.Agent, path: string, uploadId: string, part: Part): Promise<string> {
  const query = canonicalQuery({ partNumber: String(part.number), uploadId });
  const headers = target.signer.sign("PUT", path, query, UNSIGNED_PAYLOAD);
  headers["content-length"] = String(part.length);
  return new Promise((resolve, reject) => {
    const request = http.request({ agent, hostname: target.url.hostname, port: target.url.port, method: "PUT", path: `${path}?${query}`, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => {
        const etag = response.headers.etag;
        if (response.statusCode === 200 && etag) resolve(etag);
        else reject(new Error(`UploadPart ${part.number}: HTTP ${response.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
      });
      response.on("error", reject);
    });
    request.setTimeout(PART_TIMEOUT_MS, () => request.destroy(new Error(`UploadPart ${part.number}: no answer in ${PART_TIMEOUT_MS} ms`)));
    request.on("error", reject);
    pumpSlice(request, part).catch((error: Error) => request.destroy(error));
  });
}

async function pumpSlice(request: http.ClientRequest, part: Part): Promise<void> {
  for (let sent = 0; sent < part.length; ) {
    const chunk = patternSlice(part.offset + sent, Math.min(BLOCK_SIZE, part.length - sent));
    sent += chunk.byteLength;
    if (!request.write(chunk)) await drainedOrClosed(request);
    if (request.destroyed) return;
  }
  request.end();
}
