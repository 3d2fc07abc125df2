/**
 * Chunk-sized buffers, used again. A plain body is read a chunk at a time straight into one
 * of these (byte-reader.ts), and ingest.ts gives it back once the chunk's files are written
 * (the disk service has copied the bytes by then). A fresh 1 MiB buffer costs more than its
 * bytes: it is new memory the kernel maps in page by page, and V8 frees it only at a later
 * collection, so a 256 MiB upload used to leave workerd ~80 MiB larger. A few are kept per
 * isolate, shared by its requests; each is held by one chunk at a time.
 */
import { CHUNK_SIZE } from "../../../../shared/blob-layout";

const KEPT = 8;
const kept: ArrayBuffer[] = [];

export function takeChunkBuffer(): Uint8Array {
  return new Uint8Array(kept.pop() ?? new ArrayBuffer(CHUNK_SIZE));
}

/** Gives back a whole chunk's buffer that nothing reads any more (a view of one is enough). */
export function giveChunkBuffer(bytes: Uint8Array): void {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && buffer.byteLength === CHUNK_SIZE && kept.length < KEPT && !kept.includes(buffer)) kept.push(buffer);
}
