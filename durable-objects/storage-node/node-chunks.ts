/**
 * A storage node's chunks, rows and bytes together: the rows in SQLite (chunk-store.ts), the
 * bytes as files (disk-shelf.ts) or, without a disk, in the rows. Files are written before
 * their rows, so a row always points at a whole file; a crash between the two leaves files
 * under a blob still marked "writing", which the node's sweep deletes with the blob.
 */
import { CHUNK_SIZE, chunkSpan } from "../../shared/blob-layout";
import type { ChunkStore } from "./chunk-store";
import type { DiskShelf } from "./disk-shelf";

export class NodeChunks {
  constructor(
    readonly store: ChunkStore,
    private readonly shelf: DiskShelf | undefined,
  ) {}

  /**
   * Stores parts `first, first+1, …` of a blob whose row exists. The caller has checked that
   * they fit, in the same turn: their bytes are counted before the first wait.
   */
  async write(id: string, first: number, parts: Uint8Array[]): Promise<void> {
    const { store, shelf } = this;
    if (!shelf) return store.insertChunks(id, first, parts, true);
    const bytes = parts.reduce((total, part) => total + part.byteLength, 0);
    store.reserve(bytes);
    try {
      await shelf.put(id, first, parts);
    } catch (error) {
      store.reserve(-bytes);
      throw error;
    }
    if (store.state(id) === undefined) {
      // discarded while its files were written: nothing may be left behind
      store.reserve(-bytes);
      await shelf.remove(id);
      throw new Error(`blob ${id} was discarded while being written`);
    }
    store.insertChunks(id, first, parts, false);
  }

  /** One whole chunk, or null if this node does not hold it. */
  async chunk(id: string, idx: number): Promise<Uint8Array | null> {
    const row = this.store.chunk(id, idx);
    if (!row) return null;
    return row.data ?? (await this.shelf?.read(id, idx, 0, row.bytes)) ?? null;
  }

  /** Bytes `[start, end)` of a blob, or null if a chunk of the range is not here. */
  async read(id: string, start: number, end: number): Promise<Uint8Array | null> {
    if (end <= start) return new Uint8Array(0);
    const { first, last } = chunkSpan(start, end);
    const pieces: Array<Promise<Uint8Array | null>> = [];
    for (let idx = first; idx <= last; idx++) {
      const row = this.store.chunk(id, idx);
      if (!row) return null;
      const chunkStart = idx * CHUNK_SIZE;
      const from = Math.max(start - chunkStart, 0);
      const to = Math.min(end - chunkStart, row.bytes);
      pieces.push(row.data ? Promise.resolve(row.data.subarray(from, to)) : (this.shelf?.read(id, idx, from, to) ?? Promise.resolve(null)));
    }
    const parts = await Promise.all(pieces);
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(end - start);
    let offset = 0;
    for (const part of parts) {
      if (!part) return null;
      out.set(part, offset);
      offset += part.byteLength;
    }
    return out;
  }

  /** Deletes a blob: its rows at once, then its files. */
  async delete(id: string, inTransaction: (work: () => void) => void): Promise<void> {
    inTransaction(() => this.store.delete(id));
    await this.shelf?.remove(id);
  }
}
