/**
 * How storage-service lays a blob out: fixed-size chunks, so that any byte range maps to a
 * few chunk rows without an index. A row of Durable Object SQLite holds at most 2 MB; 1 MiB
 * chunks stay well under it and keep each RPC message moderate.
 */
export const CHUNK_SIZE = 1024 * 1024;

/** Bodies up to this size travel as one value (one RPC); larger ones are written in chunks. */
export const SINGLE_SHOT_LIMIT = CHUNK_SIZE;

/** A chunk's part of a byte range: bytes `[from, to)` of chunk `idx`. */
export interface ChunkRange {
  idx: number;
  from: number;
  to: number;
}

/** The chunks that hold bytes `[start, end)` of a blob, in order, and which of their bytes. */
export function chunkRanges(start: number, end: number): ChunkRange[] {
  const ranges: ChunkRange[] = [];
  for (let position = start; position < end; ) {
    const idx = Math.floor(position / CHUNK_SIZE);
    const chunkStart = idx * CHUNK_SIZE;
    const to = Math.min(end - chunkStart, CHUNK_SIZE);
    ranges.push({ idx, from: position - chunkStart, to });
    position = chunkStart + to;
  }
  return ranges;
}
