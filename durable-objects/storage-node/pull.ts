/**
 * A node copying a blob to itself, chunk by chunk, from other nodes: how storage-service
 * repairs a replica, re-places one past a full node, assembles a blob whose chunks went to
 * different nodes, and copies a blob under a new id. Bytes go node to node and never through
 * storage-service.
 */
import { CHUNK_SIZE } from "../../shared/blob-layout";
import type { NodeChunks } from "./node-chunks";

/**
 * ok: the blob is here, complete and readable · full: it does not fit (what arrived stays,
 * for the caller to discard) · gone: no source holds a chunk any more, or the blob was
 * released meanwhile · unreachable: a chunk's only possible sources did not answer.
 */
export type PullAnswer = "ok" | "full" | "gone" | "unreachable";

/** Where the bytes are: blob `id` (the same id, or another for a copy) on these nodes, in order. */
export interface PullSource {
  id: string;
  nodes: string[];
}

export interface PullingNode {
  chunks: NodeChunks;
  remote(name: string): { chunkOf(id: string, idx: number, evenReleased: boolean): Promise<Uint8Array | null> };
  /** throws if the node was marked down while the pull waited */
  assertUp(): void;
  fits(bytes: number): boolean;
}

/** Local chunks copied between two pauses, so that a long local copy lets other calls in. */
const LOCAL_BATCH = 8;

export async function pullBlob(node: PullingNode, id: string, size: number, source: PullSource): Promise<PullAnswer> {
  const { chunks } = node;
  const { store } = chunks;
  const state = store.state(id);
  if (state === "released") return "gone";
  if (state === "ready") return "ok";
  store.upsert(id, "writing", 0, Date.now());
  const have = store.chunkIndexes(id);
  const copy = source.id !== id;
  const count = Math.ceil(size / CHUNK_SIZE);
  let local = 0;
  for (let idx = 0; idx < count; idx++) {
    if (have.has(idx)) continue;
    let data = copy ? await chunks.chunk(source.id, idx) : null;
    if (data) {
      if (++local % LOCAL_BATCH === 0) await pause();
    } else {
      const fetched = await fetchChunk(node, source, idx, copy);
      if (typeof fetched === "string") return fetched;
      data = fetched;
    }
    node.assertUp();
    if (store.state(id) === "released") return "gone";
    if (!node.fits(data.byteLength)) return "full";
    await chunks.write(id, idx, [data]);
  }
  if (!store.isComplete(id, size)) return "gone";
  store.markReady(id, size);
  return store.state(id) === "ready" ? "ok" : "gone";
}

/** Chunk `idx` of the source from the first node that has it. */
async function fetchChunk(node: PullingNode, source: PullSource, idx: number, evenReleased: boolean): Promise<Uint8Array | "gone" | "unreachable"> {
  let unreachable = false;
  for (const name of source.nodes) {
    try {
      const data = await node.remote(name).chunkOf(source.id, idx, evenReleased);
      if (data) return data;
    } catch {
      unreachable = true; // down or failing: maybe it holds the chunk, maybe not
    }
  }
  return unreachable ? "unreachable" : "gone";
}

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
