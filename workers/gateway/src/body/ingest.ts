/**
 * Streams a request body into storage-service while computing its digests. The body is cut
 * into CHUNK_SIZE parts, each written while the next is read (one write in flight), so memory
 * stays at two chunks whatever the object's size. A body that fits one chunk is stored in a
 * single call. Anything that fails — the client, a digest, storage — discards what was
 * written: a rejected request never leaves bytes behind.
 */
import { CHUNK_SIZE } from "../../../../shared/blob-layout";
import type { BlobRef } from "../../../../shared/records";
import type { S3Context } from "../s3/context";
import { BodyDigests, type BodySummary } from "./body-digests";
import { bodySource } from "./body-source";
import type { BodyExpectations } from "./expectations";

export interface Ingested extends BodySummary {
  /** null for an empty body */
  blob: BlobRef | null;
}

export async function ingest(ctx: S3Context, expect: BodyExpectations): Promise<Ingested> {
  const storage = ctx.env.STORAGE;
  const digests = new BodyDigests(expect);
  const source = bodySource(ctx.request, ctx.payload, expect.length);
  // A body declared smaller than a chunk gets a buffer of its size (no 1 MiB zeroing per PUT).
  let chunk: Uint8Array = new Uint8Array(Math.min(CHUNK_SIZE, expect.length ?? CHUNK_SIZE));
  let filled = 0;
  let index = 0;
  let blob: BlobRef | undefined;
  let inFlight: Promise<void> | undefined;
  try {
    for await (const piece of source.pieces) {
      digests.update(piece);
      let offset = 0;
      while (offset < piece.byteLength) {
        if (filled === chunk.byteLength) chunk = grow(chunk);
        const take = Math.min(piece.byteLength - offset, chunk.byteLength - filled);
        chunk.set(piece.subarray(offset, offset + take), filled);
        filled += take;
        offset += take;
        if (filled < CHUNK_SIZE) continue;
        blob ??= await storage.begin();
        await inFlight;
        inFlight = storage.write(blob, index++, [chunk]);
        chunk = new Uint8Array(CHUNK_SIZE);
        filled = 0;
      }
    }
    const summary = await digests.verify(source.trailers);
    if (!blob) {
      const stored = summary.size === 0 ? null : await storage.put(chunk.subarray(0, filled));
      return { ...summary, blob: stored };
    }
    await inFlight;
    if (filled > 0) await storage.write(blob, index, [chunk.subarray(0, filled)]);
    return { ...summary, blob: await storage.commit(blob, summary.size) };
  } catch (error) {
    await inFlight?.catch(() => undefined);
    if (blob) discard(ctx, blob);
    throw error;
  }
}

/** More body than declared: the buffer becomes a full chunk (the length check fails later). */
function grow(chunk: Uint8Array): Uint8Array {
  const full = new Uint8Array(CHUNK_SIZE);
  full.set(chunk);
  return full;
}

/** Removes a blob no object will ever use, off the response path. */
export function discard(ctx: S3Context, blob: BlobRef | null): void {
  if (blob) ctx.waitUntil(ctx.env.STORAGE.discard(blob).catch(() => undefined));
}
