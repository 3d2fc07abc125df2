/**
 * A storage node's chunks, rows and bytes together: the rows in SQLite (chunk-store.ts), the
 * bytes as files (shared/blob-files.ts) or, without a disk, in the rows. A chunk's row is
 * written before its file — by this node, or by the gateway once the node reserved it — and
 * a blob is readable only once it is ready, after every file was written; a crash in
 * between leaves a blob still "writing", which the node's sweep deletes with its files.
 */
import { chunkRanges } from "../../shared/blob-layout";
import type { BlobFiles } from "../../shared/blob-files";
import type { ChunkStore } from "./chunk-store";

export class NodeChunks {
  constructor(
    readonly store: ChunkStore,
    /** this node's name, its directory among the blob files */
    private readonly node: string,
    private readonly files: BlobFiles | undefined,
  ) {}

  /** Whether chunk bytes are files (which the gateway may write itself). */
  get onDisk(): boolean {
    return this.files !== undefined;
  }

  /**
   * Stores parts `first, first+1, …` of a blob whose row exists. The caller has checked that
   * they fit, in the same turn: their rows are counted before the first wait.
   */
  async write(id: string, first: number, parts: Uint8Array[]): Promise<void> {
    const { store, files } = this;
    const sizes = parts.map((part) => part.byteLength);
    if (!files) return store.insertChunks(id, first, sizes, parts);
    store.insertChunks(id, first, sizes);
    try {
      await Promise.all(parts.map((part, i) => files.put(this.node, id, first + i, part)));
    } catch (error) {
      store.removeChunks(id, first, parts.length);
      throw error;
    }
    if (store.state(id) === undefined) {
      // discarded while its files were written: nothing may be left behind
      await files.remove(this.node, id);
      throw new Error(`blob ${id} was discarded while being written`);
    }
  }

  /** One whole chunk, or null if this node does not hold it. */
  async chunk(id: string, idx: number): Promise<Uint8Array | null> {
    const row = this.store.chunk(id, idx);
    if (!row) return null;
    return row.data ?? (await this.files?.read(this.node, id, idx, 0, row.bytes)) ?? null;
  }

  /** Bytes `[start, end)` of a blob, or null if a chunk of the range is not here. */
  async read(id: string, start: number, end: number): Promise<Uint8Array | null> {
    if (end <= start) return new Uint8Array(0);
    const pieces: Array<Promise<Uint8Array | null>> = [];
    for (const { idx, from, to } of chunkRanges(start, end)) {
      const row = this.store.chunk(id, idx);
      if (!row || row.bytes < to) return null;
      pieces.push(row.data ? Promise.resolve(row.data.subarray(from, to)) : (this.files?.read(this.node, id, idx, from, to) ?? Promise.resolve(null)));
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
    await this.files?.remove(this.node, id);
  }
}
