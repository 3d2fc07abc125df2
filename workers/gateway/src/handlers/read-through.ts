/**
 * Read-through: a GET or HEAD of a key this bucket lacks asks third-party-service, which
 * answers "none" when the bucket has no upstream (the miss stays NoSuchKey) or reads the
 * object from the upstream. The object is stored here through the ordinary write path
 * (storage-service, then the bucket's metadata; create-only, so a version written meanwhile
 * wins), so the upstream is read once:
 *
 * - a plain GET is answered with the upstream's bytes as they arrive, stored as they pass
 *   (fan-out.ts); its last bytes are sent once the copy is stored (or failed to be), so a
 *   client that has read the object finds it here on its next request; a client that goes
 *   away does not stop the store;
 * - a HEAD, a Range, a partNumber or a conditional GET waits for the object to be stored,
 *   then is served from the local copy as any object is.
 *
 * Gaps: a streamed answer in a versioned bucket carries no x-amz-version-id (the version is
 * made once the last byte is stored); two misses at once both read the upstream (the first
 * stored wins). A delete marker is not a miss: the key was deleted here.
 */
import type { NewObject } from "../../../../shared/records";
import { S3Error, isFailure, unwrap, type Failure } from "../../../../shared/s3-errors";
import { serviceGate } from "../../../../shared/faults/service-gate";
import type { UpstreamHead } from "../../../../shared/upstreams";
import { toHex } from "../body/checksums";
import { fanOut } from "../body/fan-out";
import { withheldEnd } from "../body/withheld-end";
import { ingest } from "../body/ingest";
import { streamPieces } from "../body/stream-pieces";
import type { RequestFacts } from "../../../../shared/faults/facts";
import { requestFacts, ruleLookup } from "../faults/request-facts";
import type { S3Context, S3Result } from "../s3/context";
import { objectHeaders } from "../s3/object-headers";
import { commitObject } from "./object-writes";

const CONDITIONS = ["if-match", "if-none-match", "if-modified-since", "if-unmodified-since"];

/** A miss that the upstream may fill: no such key, and no delete marker in its place. */
export function isReadThroughMiss(found: unknown): found is Failure {
  return isFailure(found) && found.error === "NoSuchKey" && !found.headers?.["x-amz-delete-marker"];
}

/** The facts for third-party-service's gate, while a rule of it could match this request. */
function upstreamFacts(ctx: S3Context, operation: string): RequestFacts | undefined {
  const lookup = ruleLookup(ctx, operation);
  return serviceGate.touches(["third-party-service"], lookup) ? requestFacts(ctx, operation, lookup) : undefined;
}

/** `serveLocal` answers the request from the local copy, once stored. */
export async function readThrough(ctx: S3Context, withBody: boolean, miss: Failure, serveLocal: () => Promise<S3Result>): Promise<S3Result> {
  const operation = withBody ? "GetObject" : "HeadObject";
  const facts = ctx.faultFacts ?? upstreamFacts(ctx, operation);
  const answer = await ctx.env.THIRD_PARTY.readThrough({ bucket: ctx.bucket, key: ctx.key, requestId: ctx.requestId }, facts);
  if (!isFailure(answer) && answer.kind === "none") return unwrap(miss);
  const { head, body } = unwrap(answer) as Extract<typeof answer, { kind: "object" }>;
  if (withBody && isPlainGet(ctx)) return streamWhileStoring(ctx, head, body);
  try {
    await store(ctx, head, body);
  } catch (error) {
    // someone else stored the key meanwhile: theirs is the object
    if (!(error instanceof S3Error && error.code === "PreconditionFailed")) throw error;
  }
  return serveLocal();
}

function isPlainGet(ctx: S3Context): boolean {
  const headers = ctx.request.headers;
  return !headers.has("range") && !ctx.target.query.has("partNumber") && !CONDITIONS.some((name) => headers.has(name));
}

function streamWhileStoring(ctx: S3Context, head: UpstreamHead, body: ReadableStream<Uint8Array>): S3Result {
  const toClient = new FixedLengthStream(head.size);
  const toStore = new TransformStream<Uint8Array, Uint8Array>();
  const stored = store(ctx, head, toStore.readable).catch((error: unknown) => logStoreFailure(ctx, error));
  ctx.waitUntil(stored);
  ctx.waitUntil(fanOut(body, [withheldEnd(toClient.writable, stored), toStore.writable]));
  const headers = objectHeaders({ ...newObject(ctx, head, "", []), versionId: "null" }, ctx.target.query, false);
  headers["content-length"] = String(head.size);
  return { status: 200, headers, body: toClient.readable };
}

/** Stores the upstream's object as a PutObject would, if the key is still free. */
async function store(ctx: S3Context, head: UpstreamHead, body: ReadableStream<Uint8Array>): Promise<void> {
  // an ingest that stops early cancels the body (the fan-out then drops the store's sink)
  const ingested = await ingest(ctx, { length: head.size }, { source: { pieces: streamPieces(body), trailers: new Map() } });
  const object = newObject(ctx, head, `"${toHex(ingested.md5)}"`, ingested.blobs);
  if (ingested.data) object.data = ingested.data;
  await commitObject(ctx, object, { ifNoneMatch: "*" });
}

/** The upstream's ETag when it sent one (a multipart object's too), else the MD5 of the bytes. */
function newObject(ctx: S3Context, head: UpstreamHead, md5Etag: string, blobs: NewObject["blobs"]): NewObject {
  const { size, etag, lastModified, userMetadata, ...content } = head;
  return { key: ctx.key, size, etag: etag ?? md5Etag, lastModified: lastModified ?? Date.now(), blobs, ...content, userMetadata, tags: [] };
}

function logStoreFailure(ctx: S3Context, error: unknown): void {
  if (error instanceof S3Error && error.code === "PreconditionFailed") return;
  console.error(JSON.stringify({ level: "warn", msg: "read-through object not stored", bucket: ctx.bucket, request_id: ctx.requestId, error: String(error) }));
}
