/**
 * A storage node's SQL: blobs and their chunk rows, with a running count of the bytes the
 * chunks take (what the node's capacity is measured against). A chunk row holds the chunk's
 * size, and its bytes only where the node keeps no files (see shared/blob-files.ts). Every method
 * is synchronous, so a check of the count and what it allows happen in one turn.
 *
 * The statements every blob written runs (a write reserves, records its chunks, commits) are
 * plain SQL, as the bucket's version rows are: drizzle's builder cost a fifth of the Durable
 * Objects' time in a multipart upload's profile. The tables are drizzle's (schema.ts).
 */
import { and, eq, gte, inArray, lt, lte, notInArray, or, sql, sum } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { CHUNK_SIZE } from "../../shared/blob-layout";
import { blobs, chunks, nodeState } from "./schema";

export type BlobState = "writing" | "ready" | "released";

/** Ids per statement when releasing many blobs. */
const RELEASE_BATCH = 50;
/** Chunk rows per INSERT: Durable Object SQLite binds at most 100 parameters per statement. */
const CHUNK_ROWS_PER_INSERT = 24;

const SELECT_STATE = "SELECT state FROM blobs WHERE id = ?";
const UPSERT_BLOB =
  "INSERT INTO blobs (id, size, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, state = excluded.state, updated_at = excluded.updated_at WHERE blobs.state <> 'released'";
const INSERT_CHUNKS = (rows: number) => `INSERT INTO chunks (blob_id, idx, bytes, data) VALUES ${Array(rows).fill("(?, ?, ?, ?)").join(", ")}`;
const COUNT_CHUNKS = "SELECT count(*) AS count, coalesce(sum(bytes), 0) AS bytes FROM chunks WHERE blob_id = ?";
const MARK_READY = "UPDATE blobs SET size = ?, state = 'ready', updated_at = ? WHERE id = ? AND state = 'writing'";

export class ChunkStore {
  /** bytes of every chunk row: blobs being written, ready or released but not yet swept */
  usedBytes = 0;
  private readonly selectChunk;

  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    private readonly statements: SqlStorage,
  ) {
    this.selectChunk = db
      .select({ bytes: chunks.bytes, data: chunks.data })
      .from(chunks)
      .where(and(eq(chunks.blobId, sql.placeholder("id")), eq(chunks.idx, sql.placeholder("idx"))))
      .prepare();
  }

  /** Reads the byte count and the down flag; run once the migrations have. */
  load(): { down: boolean } {
    const row = this.db
      .select({ bytes: sql<number>`coalesce(sum(${chunks.bytes}), 0)` })
      .from(chunks)
      .get();
    this.usedBytes = row?.bytes ?? 0;
    return { down: this.db.select({ down: nodeState.down }).from(nodeState).get()?.down ?? false };
  }

  saveDown(down: boolean): void {
    this.db.insert(nodeState).values({ id: 1, down }).onConflictDoUpdate({ target: nodeState.id, set: { down } }).run();
  }

  state(id: string): BlobState | undefined {
    return this.statements.exec<{ state: BlobState }>(SELECT_STATE, id).toArray()[0]?.state;
  }

  /** Creates or updates a blob's row; a released blob stays released (no write revives it). */
  upsert(id: string, state: "writing" | "ready", size: number, now: number): void {
    this.statements.exec(UPSERT_BLOB, id, size, state, now);
  }

  /**
   * Rows for chunks `first, first+1, …` of a blob, of these sizes, holding the bytes when
   * `data` is given (else the chunks are files); their bytes count against the capacity.
   */
  insertChunks(id: string, first: number, sizes: number[], data?: Uint8Array[]): void {
    for (let at = 0; at < sizes.length; at += CHUNK_ROWS_PER_INSERT) {
      const batch = sizes.slice(at, at + CHUNK_ROWS_PER_INSERT);
      const values = batch.flatMap((bytes, i) => [id, first + at + i, bytes, data?.[at + i] ?? null]);
      this.statements.exec(INSERT_CHUNKS(batch.length), ...values);
    }
    for (const bytes of sizes) this.usedBytes += bytes;
  }

  /** Takes back the rows of chunks `[first, first + count)` (their files could not be written). */
  removeChunks(id: string, first: number, count: number): void {
    const range = and(eq(chunks.blobId, id), gte(chunks.idx, first), lt(chunks.idx, first + count));
    const freed = this.db
      .select({ bytes: sql<number>`coalesce(sum(${chunks.bytes}), 0)` })
      .from(chunks)
      .where(range)
      .get();
    this.db.delete(chunks).where(range).run();
    this.usedBytes -= freed?.bytes ?? 0;
  }

  /** A chunk's size, and its bytes when the row holds them; undefined if it is not here. */
  chunk(id: string, idx: number): { bytes: number; data: Uint8Array | null } | undefined {
    return this.selectChunk.get({ id, idx });
  }

  /** The chunk numbers of a blob this node holds. */
  chunkIndexes(id: string): Set<number> {
    return new Set(
      this.db
        .select({ idx: chunks.idx })
        .from(chunks)
        .where(eq(chunks.blobId, id))
        .all()
        .map((r) => r.idx),
    );
  }

  /** Whether the blob's chunks add up to `size` bytes: all of them are here. */
  isComplete(id: string, size: number): boolean {
    const row = this.statements.exec<{ count: number; bytes: number }>(COUNT_CHUNKS, id).one();
    return row.count === Math.ceil(size / CHUNK_SIZE) && row.bytes === size;
  }

  /** A written blob becomes readable; a released one stays released. */
  markReady(id: string, size: number): void {
    this.statements.exec(MARK_READY, size, Date.now(), id);
  }

  /**
   * Marks blobs released. An id this node does not hold gets a released row all the same (a
   * tombstone, swept with the rest), so a repair copying it here a moment later is refused.
   */
  release(ids: string[], now: number): void {
    // Durable Object SQLite binds at most 100 parameters per statement.
    for (let i = 0; i < ids.length; i += RELEASE_BATCH) {
      const batch = ids.slice(i, i + RELEASE_BATCH);
      this.db.update(blobs).set({ state: "released", updatedAt: now }).where(inArray(blobs.id, batch)).run();
      const known = new Set(
        this.db
          .select({ id: blobs.id })
          .from(blobs)
          .where(inArray(blobs.id, batch))
          .all()
          .map((r) => r.id),
      );
      for (const id of batch) if (!known.has(id)) this.db.insert(blobs).values({ id, size: 0, state: "released", updatedAt: now }).run();
    }
  }

  delete(id: string): void {
    const freed = this.db
      .select({ bytes: sql<number>`coalesce(sum(${chunks.bytes}), 0)` })
      .from(chunks)
      .where(eq(chunks.blobId, id))
      .get();
    this.db.delete(chunks).where(eq(chunks.blobId, id)).run();
    this.db.delete(blobs).where(eq(blobs.id, id)).run();
    this.usedBytes -= freed?.bytes ?? 0;
  }

  /** Blobs released before `releasedBefore`, or left half-written since `abandonedBefore`. */
  expired(releasedBefore: number, abandonedBefore: number): string[] {
    return this.db
      .select({ id: blobs.id })
      .from(blobs)
      .where(or(and(eq(blobs.state, "released"), lte(blobs.updatedAt, releasedBefore)), and(eq(blobs.state, "writing"), lte(blobs.updatedAt, abandonedBefore))))
      .all()
      .map((r) => r.id);
  }

  hasPendingSweep(): boolean {
    return (
      this.db
        .select({ id: blobs.id })
        .from(blobs)
        .where(notInArray(blobs.state, ["ready"]))
        .limit(1)
        .get() !== undefined
    );
  }

  /** Ready blobs: how many, and their bytes. */
  readyBlobs(): { blobs: number; bytes: number } {
    const row = this.db
      .select({ blobs: sql<number>`count(*)`, bytes: sum(blobs.size) })
      .from(blobs)
      .where(eq(blobs.state, "ready"))
      .get();
    return { blobs: row?.blobs ?? 0, bytes: Number(row?.bytes ?? 0) };
  }
}
