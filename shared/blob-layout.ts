/**
 * How storage-service lays a blob out: fixed-size chunks, so that any byte range maps to a
 * few chunk rows without an index. A row of Durable Object SQLite holds at most 2 MB; 1 MiB
 * chunks stay well under it and keep each RPC message moderate.
 */
export const CHUNK_SIZE = 1024 * 1024;

/** Bodies up to this size travel as one value (one RPC); larger ones are written in chunks. */
export const SINGLE_SHOT_LIMIT = CHUNK_SIZE;

/** The chunks `[first, last]` that hold bytes `[start, end)` of a blob. */
export function chunkSpan(start: number, end: number): { first: number; last: number } {
  return { first: Math.floor(start / CHUNK_SIZE), last: Math.floor((end - 1) / CHUNK_SIZE) };
}
