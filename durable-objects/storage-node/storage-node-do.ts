/**
 * One storage node of storage-service: blobs as 1 MiB chunks, their rows in Durable Object
 * SQLite and their bytes as files of the node's disk directory (node-chunks.ts). A blob is
 * written in one or more calls and becomes readable when committed. Released blobs stay
 * readable for a grace period, so a GET that read the old metadata just before an
 * overwrite still gets its bytes; one alarm then deletes them, and any blob abandoned
 * half-written.
 *
 * A node holds at most MOCKS3_STORAGE_NODE_CAPACITY_BYTES of chunks and answers "full" to a
 * write that would pass it (storage-service then tries the next node). A node marked down
 * (storage-service's node API, through StorageClusterDO) refuses every data call as an
 * unreachable node would, and remembers it across restarts. The flag lives here, in memory
 * and in this node's SQLite, so the happy path asks nobody else whether the node is up.
 *
 * Why files and not chunk rows or R2 (measured on this 2-core machine, 256 MiB, two replicas):
 * Miniflare's local R2 took a PUT at ~31 MB/s; 1 MiB chunk rows in DO SQLite at ~40–56 MB/s
 * through the whole stack, every 4 KiB page written twice (WAL, then checkpoint) on the
 * runtime's single thread; a workerd disk service writes both replicas' files at over
 * 1 GB/s, natively. The README's design section has the figures.
 */
import { blobFilesOf } from "../../shared/blob-files";
import { storageSettings } from "../../shared/storage-settings";
import { openDatabase } from "../../shared/durable-database";
import { ChunkStore } from "./chunk-store";
import migrations from "./drizzle/migrations.js";
import { NodeChunks } from "./node-chunks";
import { pullBlob, type PullAnswer, type PullSource } from "./pull";
import { TracedDurableObject } from "../traced-object";

/** How long a released blob stays readable. */
const RELEASE_GRACE_MS = 30_000;
/** A blob still being written after this long was abandoned by its writer. */
const ABANDONED_AFTER_MS = 60 * 60_000;

export type WriteAnswer = "ok" | "full";
export type CommitAnswer = "ok" | "incomplete";
export type { PullAnswer, PullSource };

export interface NodeReport {
  down: boolean;
  /** ready blobs and their bytes */
  blobs: number;
  bytes: number;
  /** bytes of every chunk held, measured against the capacity */
  usedBytes: number;
  capacityBytes: number;
}

export class StorageNodeDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "storage-service";

  private readonly store: ChunkStore;
  private readonly chunks: NodeChunks;
  private down = false;
  /** the alarm's time as last read or set (null: none), so that a write need not ask storage for it */
  private alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    const db = openDatabase(ctx, migrations, () => {
      this.down = this.store.load().down;
    });
    this.store = new ChunkStore(db, ctx.storage.sql);
    this.chunks = new NodeChunks(this.store, ctx.id.name ?? ctx.id.toString(), blobFilesOf(env));
  }

  /**
   * Writes chunks `first, first+1, …` of blob `id`; with `size` the blob is complete and
   * becomes readable. Every chunk but the blob's last is exactly CHUNK_SIZE bytes. Nothing
   * is written when the chunks do not fit.
   */
  async write(id: string, first: number, parts: Uint8Array[], size?: number): Promise<WriteAnswer> {
    if (
      !this.admit(
        id,
        parts.reduce((total, part) => total + part.byteLength, 0),
      )
    )
      return "full";
    await this.chunks.write(id, first, parts);
    if (size !== undefined) this.store.markReady(id, size);
    return "ok";
  }

  /**
   * Takes chunks `first, first+1, …` of blob `id`, of these sizes, whose files the caller
   * (the gateway) then writes itself; the blob stays "writing" until `commit`. Only for a
   * node whose chunks are files. Nothing is taken when they do not fit.
   */
  reserve(id: string, first: number, sizes: number[]): WriteAnswer {
    if (!this.chunks.onDisk) throw new Error("this storage node keeps no files: write the bytes through it");
    if (
      !this.admit(
        id,
        sizes.reduce((total, size) => total + size, 0),
      )
    )
      return "full";
    this.store.insertChunks(id, first, sizes);
    return "ok";
  }

  /** Whether this node can serve blob `id` of `size` bytes: complete, ready (or released, not yet swept). */
  holds(id: string, size: number): boolean {
    this.assertUp();
    const state = this.store.state(id);
    return (state === "ready" || state === "released") && this.store.isComplete(id, size);
  }

  /** Bytes `[start, end)` of a blob, or null if this node does not hold them. */
  read(id: string, start: number, end: number): Promise<Uint8Array | null> {
    this.assertUp();
    return this.chunks.read(id, start, end);
  }

  /**
   * One chunk, for another node copying the blob. A released blob is offered only to a copy
   * under another id (CopyObject racing an overwrite); repairing it would be pointless.
   */
  async chunkOf(id: string, idx: number, evenReleased: boolean): Promise<Uint8Array | null> {
    this.assertUp();
    if (!evenReleased && this.store.state(id) === "released") return null;
    return this.chunks.chunk(id, idx);
  }

  /** Marks a blob complete after its `write`s, if every chunk arrived here. */
  commit(id: string, size: number): CommitAnswer {
    this.assertUp();
    if (!this.store.isComplete(id, size)) return "incomplete";
    this.store.markReady(id, size);
    return "ok";
  }

  /**
   * Makes this node hold blob `id` complete, fetching the chunks it lacks from `source` (this
   * node's own copy of `source.id` first, then the other nodes in order): a repair, a replica
   * re-placed past a full node, or a copy. A partial copy is left for the caller to discard.
   */
  async pull(id: string, size: number, source: PullSource): Promise<PullAnswer> {
    this.assertUp();
    const now = Date.now();
    void this.scheduleSweep(now + ABANDONED_AFTER_MS);
    return pullBlob(
      {
        chunks: this.chunks,
        remote: (name) => this.env.STORAGE_NODE.getByName(name),
        assertUp: () => this.assertUp(),
        fits: (bytes) => this.fits(bytes),
      },
      id,
      size,
      source,
    );
  }

  /** Blobs no object uses any more: deleted once no reader can still be streaming them. */
  release(ids: string[]): void {
    this.assertUp();
    if (ids.length === 0) return;
    const now = Date.now();
    this.store.release(ids, now);
    void this.scheduleSweep(now + RELEASE_GRACE_MS);
  }

  /** Deletes a blob at once: a write that failed, never visible to anyone. */
  discard(id: string): Promise<void> {
    this.assertUp();
    return this.delete(id);
  }

  /** The node's state and usage; answered also while the node is down (an admin call). */
  report(): NodeReport {
    return { down: this.down, ...this.store.readyBlobs(), usedBytes: this.store.usedBytes, capacityBytes: this.capacity() };
  }

  /** Marks the node down (refusing every data call) or up again; an admin call. */
  setDown(down: boolean): NodeReport {
    this.store.saveDown(down);
    this.down = down;
    return this.report();
  }

  override async alarm(): Promise<void> {
    this.alarmAt = null; // it fired; one set below or by a call meanwhile is what follows
    const now = Date.now();
    for (const id of this.store.expired(now - RELEASE_GRACE_MS, now - ABANDONED_AFTER_MS)) await this.delete(id);
    if (this.store.hasPendingSweep()) await this.scheduleSweep(now + RELEASE_GRACE_MS);
  }

  /**
   * Lets `bytes` more of blob `id` in if they fit. The blob is "writing" until every chunk is
   * here and it is marked ready, so that one abandoned midway — its writer gone, the stack
   * killed between files and rows — is left to the sweep.
   */
  private admit(id: string, bytes: number): boolean {
    this.assertUp();
    if (!this.fits(bytes)) return false;
    const now = Date.now();
    this.store.upsert(id, "writing", 0, now);
    void this.scheduleSweep(now + ABANDONED_AFTER_MS);
    return true;
  }

  private delete(id: string): Promise<void> {
    return this.chunks.delete(id, (work) => this.ctx.storage.transactionSync(work));
  }

  /** What a call to an unreachable node does: fail. */
  private assertUp(): void {
    if (this.down) throw new Error(`storage node ${this.ctx.id.name ?? this.ctx.id.toString()} is down`);
  }

  private fits(bytes: number): boolean {
    return this.store.usedBytes + bytes <= this.capacity();
  }

  private capacity(): number {
    return storageSettings(this.env).capacityBytes;
  }

  /** One alarm serves every timer: it is only ever moved earlier. */
  private async scheduleSweep(at: number): Promise<void> {
    if (this.alarmAt === undefined) this.alarmAt = await this.ctx.storage.getAlarm();
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }
}
