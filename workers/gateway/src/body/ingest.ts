/**
 * Takes in a request body while computing its digests. A small body (up to the gateway's
 * inline limit) is kept whole and stored with its metadata; a larger one is cut into
 * CHUNK_SIZE parts, each written as a file on the nodes storage-service places it on (or,
 * without blob files, sent to storage-service), a few writes in flight while the next part
 * is read, so memory stays at a few chunks whatever the object's size. Anything that fails —
 * the client, a digest, storage — discards what was written: a rejected request never
 * leaves bytes behind. Storage nodes short of room answer a Failure (ServiceUnavailable, or
 * EntityTooLarge for an object larger than a whole node), thrown here as that S3 error.
 * An SSE-C body is encrypted piece by piece once digested (ctr-cipher.ts): the digests, and
 * so the ETag and checksums, are the plaintext's.
 */
import { CHUNK_SIZE } from "../../../../shared/blob-layout";
import type { BlobRef } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { inlineBytesHop } from "../faults/hops";
import type { S3Context } from "../s3/context";
import { BodyDigests, type BodySummary } from "./body-digests";
import { giveChunkBuffer, takeChunkBuffer } from "./chunk-buffers";
import { bodySource, type BodySource } from "./body-source";
import { ChunkWriter } from "./chunk-writer";
import type { PieceCipher } from "./ctr-cipher";
import { discardRest } from "./discard-body";
import type { BodyExpectations } from "./expectations";
import { frontDoorDigests } from "./front-door-digests";

/**
 * Chunk writes in flight at once, while the next chunk is read: enough to keep the disk
 * service (or, without blob files, a storage node's commit) busy, few enough that a chunk
 * buffer comes back to be read into again (chunk-buffers.ts).
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
  /** SSE-C: what the bytes are stored as; the digests are of the bytes as they came */
  encrypt?: PieceCipher;
}

export async function ingest(ctx: S3Context, expect: BodyExpectations, options: IngestOptions = {}): Promise<Ingested> {
  const storage = ctx.env.STORAGE;
  // bytes from elsewhere than the request body are hashed here; the body may have been by the front door
  const digests = new BodyDigests(expect, options.source ? undefined : frontDoorDigests(ctx.request, ctx.env));
  const source = options.source ?? bodySource(ctx.request, ctx.payload, expect.length);
  // A body declared smaller than a chunk gets a buffer of its size; any other, a chunk buffer
  // when its first bytes arrive (grow), unless they arrive as a whole chunk.
  let chunk: Uint8Array = expect.length !== undefined && expect.length < CHUNK_SIZE ? new Uint8Array(expect.length) : NO_BYTES;
  let filled = 0;
  let index = 0;
  /** whether `chunk`'s buffer is ingest's own, to give back once written (chunk-buffers.ts) */
  let kept = false;
  let writer: ChunkWriter | undefined;
  const inFlight: Array<Promise<void>> = [];
  const take = async (piece: Uint8Array) => {
    let offset = 0;
    while (offset < piece.byteLength) {
      if (filled === 0 && piece.byteLength - offset >= CHUNK_SIZE) {
        // a whole chunk as it came (body-source.ts reads plain bodies a chunk at a time): no copy
        chunk = piece.subarray(offset, offset + CHUNK_SIZE);
        kept = !options.source;
        filled = CHUNK_SIZE;
        offset += CHUNK_SIZE;
      } else {
        if (filled === chunk.byteLength) [chunk, kept] = [grow(chunk), true];
        const count = Math.min(piece.byteLength - offset, chunk.byteLength - filled);
        chunk.set(piece.subarray(offset, offset + count), filled);
        filled += count;
        offset += count;
      }
      if (filled < CHUNK_SIZE) continue;
      writer ??= await ChunkWriter.begin(ctx, expect.length);
      if (inFlight.length === WRITES_IN_FLIGHT) await inFlight.shift();
      inFlight.push(written(writer.write(index++, chunk), chunk, kept));
      chunk = NO_BYTES; // the next chunk's buffer is made only if its bytes come in pieces
      filled = 0;
    }
  };
  const pieces = source.pieces[Symbol.asyncIterator]();
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
      digests.update(next.value);
      const piece = options.encrypt ? await options.encrypt(next.value) : next.value;
      await take(piece).catch(async (error: unknown) => {
        // A write refused midway (no room, an injected fault): the rest of the request body
        // is read before the error is answered (discard-body.ts). A copy's source is left.
        if (!options.source) await discardRest(pieces);
        throw error;
      });
    }
    const summary = await digests.verify(source.trailers);
    if (!writer) return storeSmall(ctx, summary, chunk.subarray(0, filled), options.asBlob === true);
    await Promise.all(inFlight);
    if (filled > 0) await written(writer.write(index, chunk.subarray(0, filled)), chunk, kept);
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

const NO_BYTES = new Uint8Array(0);

/**
 * The buffer becomes a full chunk: for the next chunk's first piece, or for more body than
 * declared (the length check fails later).
 */
function grow(chunk: Uint8Array): Uint8Array {
  const full = takeChunkBuffer();
  full.set(chunk);
  return full;
}

/** A chunk's write; once it has settled, nothing reads the chunk, and a kept buffer goes back. */
async function written(write: Promise<void>, chunk: Uint8Array, kept: boolean): Promise<void> {
  try {
    await write;
  } finally {
    if (kept) giveChunkBuffer(chunk);
  }
}

/** Removes blobs no object will ever use, off the response path. */
export function discard(ctx: S3Context, blobs: BlobRef[]): void {
  for (const blob of blobs) ctx.waitUntil(ctx.env.STORAGE.discard(blob).catch(() => undefined));
}
