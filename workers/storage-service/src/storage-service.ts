/**
 * storage-service's RPC surface: object bytes as blobs on storage nodes. The gateway writes
 * a body either in one call (`put`, bodies up to SINGLE_SHOT_LIMIT) or as CHUNK_SIZE parts
 * (`begin`, `write`…, `commit`), and reads back a range either as one value (`read`) or as
 * a stream (`stream`). Nothing here ever holds a whole large object in memory.
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import { CHUNK_SIZE } from "../../../shared/blob-layout";
import type { BlobRef } from "../../../shared/records";
import { nodeCount, nodeStats, placeBlob } from "./placement";

/** How many chunks one copy call moves. */
const COPY_BATCH = 8;

export class StorageService extends WorkerEntrypoint<StorageEnv> {
  /** Allocates a blob for a chunked write. */
  begin(): BlobRef {
    const id = crypto.randomUUID();
    return { id, size: 0, nodes: [placeBlob(id, nodeCount(this.env))] };
  }

  async put(bytes: Uint8Array): Promise<BlobRef> {
    const ref = this.begin();
    await this.node(ref).write(ref.id, 0, [bytes], bytes.byteLength);
    return { ...ref, size: bytes.byteLength };
  }

  async write(ref: BlobRef, first: number, parts: Uint8Array[]): Promise<void> {
    await this.node(ref).write(ref.id, first, parts);
  }

  async commit(ref: BlobRef, size: number): Promise<BlobRef> {
    await this.node(ref).commit(ref.id, size);
    return { ...ref, size };
  }

  async discard(ref: BlobRef): Promise<void> {
    await this.node(ref).discard(ref.id);
  }

  /** Bytes `[start, end)` as one value; for ranges of a few MiB at most. */
  async read(ref: BlobRef, start: number, end: number): Promise<Uint8Array> {
    const bytes = await this.node(ref).read(ref.id, start, end);
    if (!bytes) throw new Error(`blob ${ref.id} is missing on ${ref.nodes[0]}`);
    return bytes;
  }

  /** Bytes `[start, end)` as a stream that reads one chunk at a time, as the consumer pulls. */
  stream(ref: BlobRef, start: number, end: number): ReadableStream<Uint8Array> {
    const node = this.node(ref);
    let position = start;
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (position >= end) return controller.close();
        const next = Math.min((Math.floor(position / CHUNK_SIZE) + 1) * CHUNK_SIZE, end);
        const bytes = await node.read(ref.id, position, next);
        if (!bytes) return controller.error(new Error(`blob ${ref.id} is missing on ${ref.nodes[0]}`));
        position = next;
        controller.enqueue(bytes);
      },
    });
  }

  /** A new blob with the same bytes, on the same node, copied there without leaving it. */
  async copy(source: BlobRef): Promise<BlobRef> {
    const target: BlobRef = { id: crypto.randomUUID(), size: source.size, nodes: source.nodes.slice(0, 1) };
    const node = this.node(source);
    const chunks = Math.ceil(source.size / CHUNK_SIZE);
    for (let first = 0; first < chunks; first += COPY_BATCH) {
      await node.copyChunks(source.id, target.id, first, Math.min(COPY_BATCH, chunks - first));
    }
    await node.commit(target.id, source.size);
    return target;
  }

  /** Blobs no object uses any more. */
  async release(refs: BlobRef[]): Promise<void> {
    const byNode = new Map<string, string[]>();
    for (const ref of refs) for (const node of ref.nodes) byNode.set(node, [...(byNode.get(node) ?? []), ref.id]);
    await Promise.all([...byNode].map(([node, ids]) => this.env.STORAGE_NODE.getByName(node).release(ids)));
  }

  nodes() {
    return nodeStats(this.env);
  }

  private node(ref: BlobRef) {
    return this.env.STORAGE_NODE.getByName(ref.nodes[0]!);
  }
}
