/**
 * Takes in a request body while computing its digests. A small body (up to the gateway's
 * inline limit) is kept whole and stored with its metadata; a larger one is cut into
 * CHUNK_SIZE parts, each written as a file on the nodes storage-service places it on (or,
 * without blob files, sent to storage-service), a few writes in flight while the next part
 * is read, so memory stays at a few chunks whatever the object's size. Anything that fails —
 * the client, a digest, storage — discards what was written: a rejected request never
 * leaves bytes behind. Storage nodes short of room answer a Failure (ServiceUnavailable, or
 * EntityTooLarge for an object larger than a whole node), thrown here as that S3 error.
 */
import { CHUNK_SIZE } from "../../../../shared/blob-layout";
import type { BlobRef } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { inlineBytesHop } from "../faults/hops";
import type { S3Context } from "../s3/context";
import { BodyDigests, type BodySummary } from "./body-digests";
import { bodySource, type BodySource } from "./body-source";
import { ChunkWriter } from "./chunk-writer";
import { discardRest } from "./discard-body";
import type { BodyExpectations } from "./expectations";

/**
 * Chunk writes in flight at once. A storage node's write waits on its SQLite commit more
 * than it works, so a few in flight keep the runtime busy.
 */
const WRITES_IN_FLIGHT = 2;

export interface Ingested extends BodySummary {
  /** where a large body went (one blob); empty for a small one */
  blobs: BlobRef[];
  /** a small body, kept whole to be stored with the metadata */
  data?: Uint8Array;
}

export interface IngestOptions {
  /** the bytes always become one blob of their own, however small (a multipart part) */
  asBlob?: boolean;
  /** bytes from elsewhere than the request body (UploadPartCopy's source range) */
  source?: BodySource;
}

export async function ingest(ctx: S3Context, expect: BodyExpectations, options: IngestOptions = {}): Promise<Ingested> {
  const storage = ctx.env.STORAGE;
  const digests = new BodyDigests(expect);
  const source = options.source ?? bodySource(ctx.request, ctx.payload, expect.length);
  // A body declared smaller than a chunk gets a buffer of its size (no 1 MiB zeroing per PUT).
  let chunk: Uint8Array = new Uint8Array(Math.min(CHUNK_SIZE, expect.length ?? CHUNK_SIZE));
  let filled = 0;
  let index = 0;
  let writer: ChunkWriter | undefined;
  const inFlight: Array<Promise<void>> = [];
  const take = async (piece: Uint8Array) => {
    digests.update(piece);
    let offset = 0;
    while (offset < piece.byteLength) {
      if (filled === chunk.byteLength) chunk = grow(chunk);
      const count = Math.min(piece.byteLength - offset, chunk.byteLength - filled);
      chunk.set(piece.subarray(offset, offset + count), filled);
      filled += count;
      offset += count;
      if (filled < CHUNK_SIZE) continue;
      writer ??= await ChunkWriter.begin(ctx, expect.length);
      if (inFlight.length === WRITES_IN_FLIGHT) await inFlight.shift();
      inFlight.push(writer.write(index++, chunk));
      chunk = new Uint8Array(CHUNK_SIZE);
      filled = 0;
    }
  };
  const pieces = source.pieces[Symbol.asyncIterator]();
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
      await take(next.value).catch(async (error: unknown) => {
        // A write refused midway (no room, an injected fault): the rest of the request body
        // is read before the error is answered (discard-body.ts). A copy's source is left.
        if (!options.source) await discardRest(pieces);
        throw error;
      });
    }
    const summary = await digests.verify(source.trailers);
    if (!writer) return storeSmall(ctx, summary, chunk.subarray(0, filled), options.asBlob === true);
    await Promise.all(inFlight);
    if (filled > 0) await writer.write(index, chunk.subarray(0, filled));
    return { ...summary, blobs: [unwrap(await storage.commit(writer.blob, summary.size, ctx.faultFacts))] };
  } catch (error) {
    await Promise.allSettled(inFlight);
    if (writer) discard(ctx, [writer.blob]);
    throw error;
  }
}

/**
 * A body of at most one chunk: inline when it is small enough (past storage-service's fault
 * gate all the same), else one storage call.
 */
async function storeSmall(ctx: S3Context, summary: BodySummary, bytes: Uint8Array, asBlob: boolean): Promise<Ingested> {
  if (!asBlob && summary.size === 0) return { ...summary, blobs: [] };
  if (!asBlob && summary.size <= ctx.config.inlineMaxBytes) {
    await inlineBytesHop(ctx);
    return { ...summary, blobs: [], data: bytes };
  }
  return { ...summary, blobs: [unwrap(await ctx.env.STORAGE.put(bytes, ctx.faultFacts))] };
}

/** More body than declared: the buffer becomes a full chunk (the length check fails later). */
function grow(chunk: Uint8Array): Uint8Array {
  const full = new Uint8Array(CHUNK_SIZE);
  full.set(chunk);
  return full;
}

/** Removes blobs no object will ever use, off the response path. */
export function discard(ctx: S3Context, blobs: BlobRef[]): void {
  for (const blob of blobs) ctx.waitUntil(ctx.env.STORAGE.discard(blob).catch(() => undefined));
}
