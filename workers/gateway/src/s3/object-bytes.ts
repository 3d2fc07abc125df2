/**
 * An object's bytes `[start, end)` for a GET: from the record itself for an inline object
 * (through storage-service's fault gate all the same, faults/hops.ts), one storage-service
 * call for a small range of one blob, otherwise a stream that walks the object's blobs (one
 * per part of a multipart object) in order, each streamed from storage-service as the client
 * takes it — a large object is never held in memory.
 */
import type { BlobRef, ObjectRecord } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { inlineBytesHop } from "../faults/hops";
import type { S3Context } from "./context";

/** Ranges up to this size of a single blob come back from storage in one call. */
const SINGLE_READ_LIMIT = 1024 * 1024;

interface Piece {
  blob: BlobRef;
  start: number;
  end: number;
}

export async function objectBytes(ctx: S3Context, record: ObjectRecord, start: number, end: number): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  if (record.data) {
    await inlineBytesHop(ctx);
    return record.data.subarray(start, end);
  }
  const pieces = piecesOf(record.blobs, start, end);
  if (pieces.length === 0) return new Uint8Array(0);
  const only = pieces[0]!;
  if (pieces.length === 1 && end - start <= SINGLE_READ_LIMIT) return unwrap(await ctx.env.STORAGE.read(only.blob, only.start, only.end, ctx.faultFacts));
  // The first piece is asked for before the answer starts, so that storage-service's refusal
  // (an injected fault, say) is the answer, not a body that breaks after a 200.
  const first = unwrap(await ctx.env.STORAGE.stream(only.blob, only.start, only.end, ctx.faultFacts));
  // A FixedLengthStream makes workerd send Content-Length rather than chunked encoding.
  const { readable, writable } = new FixedLengthStream(end - start);
  ctx.waitUntil(pipePieces(ctx, first, pieces.slice(1), writable));
  return readable;
}

/** The parts of each blob that bytes `[start, end)` of the object cover. */
function piecesOf(blobs: BlobRef[], start: number, end: number): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  for (const blob of blobs) {
    const from = Math.max(start, offset);
    const to = Math.min(end, offset + blob.size);
    if (from < to) pieces.push({ blob, start: from - offset, end: to - offset });
    offset += blob.size;
    if (offset >= end) break;
  }
  return pieces;
}

async function pipePieces(ctx: S3Context, first: ReadableStream<Uint8Array>, rest: Piece[], writable: WritableStream<Uint8Array>): Promise<void> {
  try {
    await first.pipeTo(writable, { preventClose: true });
    for (const piece of rest) {
      const stream = unwrap(await ctx.env.STORAGE.stream(piece.blob, piece.start, piece.end, ctx.faultFacts));
      await stream.pipeTo(writable, { preventClose: true });
    }
    await writable.close();
  } catch (error) {
    await writable.abort(error).catch(() => undefined);
  }
}
