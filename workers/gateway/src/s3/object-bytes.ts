/**
 * An object's bytes `[start, end)` for a GET: from the record itself for an inline object
 * (through storage-service's fault gate all the same, faults/hops.ts), otherwise a stream that
 * walks the object's blobs (one per part of a multipart object) in order, as the client takes
 * it — a large object is never held in memory. Each blob's chunks are read as files from the
 * replica storage-service locates (shared/blob-files.ts), or, without blob files, streamed from
 * storage-service (a small range of one blob in a single call).
 */
import { blobFilesOf, type BlobFiles } from "../../../../shared/blob-files";
import { CHUNK_SIZE, chunkRanges, type ChunkRange } from "../../../../shared/blob-layout";
import type { BlobRef, ObjectRecord } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { inlineBytesHop } from "../faults/hops";
import type { S3Context } from "./context";

/** Ranges up to this size of a single blob come back from storage-service in one call. */
const SINGLE_READ_LIMIT = 1024 * 1024;

interface Piece {
  blob: BlobRef;
  start: number;
  end: number;
}

/** Puts a piece's bytes into the answer's stream, leaving it open for the next piece. */
type PieceWriter = (writable: WritableStream<Uint8Array>) => Promise<void>;

export async function objectBytes(ctx: S3Context, record: ObjectRecord, start: number, end: number): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  if (record.data) {
    await inlineBytesHop(ctx);
    return record.data.subarray(start, end);
  }
  const pieces = piecesOf(record.blobs, start, end);
  if (pieces.length === 0) return new Uint8Array(0);
  const only = pieces[0]!;
  const files = blobFilesOf(ctx.env);
  if (!files && pieces.length === 1 && end - start <= SINGLE_READ_LIMIT) return unwrap(await ctx.env.STORAGE.read(only.blob, only.start, only.end, ctx.faultFacts));
  // The first piece is prepared before the answer starts, so that storage-service's refusal
  // (an injected fault, say) is the answer, not a body that breaks after a 200.
  const first = await prepare(ctx, files, only);
  // A FixedLengthStream makes workerd send Content-Length rather than chunked encoding.
  const { readable, writable } = new FixedLengthStream(end - start);
  ctx.waitUntil(pipePieces(ctx, files, first, pieces.slice(1), writable));
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

/** Where a piece's bytes come from, asked of storage-service (through its fault gate). */
async function prepare(ctx: S3Context, files: BlobFiles | undefined, piece: Piece): Promise<PieceWriter> {
  if (!files) {
    const stream = unwrap(await ctx.env.STORAGE.stream(piece.blob, piece.start, piece.end, ctx.faultFacts));
    return (writable) => stream.pipeTo(writable, { preventClose: true });
  }
  const node = unwrap(await ctx.env.STORAGE.locate(piece.blob, ctx.faultFacts));
  return (writable) => pipeChunkFiles(ctx, files, node, piece, writable);
}

/**
 * A piece's chunk files from one node, each opened while the one before is still being sent.
 * A chunk that is not a file there (its bytes live in the node's rows, written before blob
 * files existed) hands the rest of the piece to storage-service.
 */
async function pipeChunkFiles(ctx: S3Context, files: BlobFiles, node: string, piece: Piece, writable: WritableStream<Uint8Array>): Promise<void> {
  const { blob, end } = piece;
  const ranges = chunkRanges(piece.start, end);
  const open = ({ idx, from, to }: ChunkRange) => files.open(node, blob.id, idx, from, to);
  let next = open(ranges[0]!);
  for (const [i, { idx, from }] of ranges.entries()) {
    const stream = await next;
    if (!stream) {
      const rest = unwrap(await ctx.env.STORAGE.stream(blob, idx * CHUNK_SIZE + from, end, ctx.faultFacts));
      return rest.pipeTo(writable, { preventClose: true });
    }
    if (i + 1 < ranges.length) next = open(ranges[i + 1]!);
    await stream.pipeTo(writable, { preventClose: true });
  }
}

async function pipePieces(ctx: S3Context, files: BlobFiles | undefined, first: PieceWriter, rest: Piece[], writable: WritableStream<Uint8Array>): Promise<void> {
  try {
    await first(writable);
    for (const piece of rest) await (await prepare(ctx, files, piece))(writable);
    await writable.close();
  } catch (error) {
    await writable.abort(error).catch(() => undefined);
  }
}
