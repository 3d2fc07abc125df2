/**
 * Reading a blob from the first replica that answers, in the order its ref lists them
 * (complete copies first). A node that is down, fails, or lacks the bytes (a replica still
 * waiting for its repair) costs one quick call, and the next replica is asked.
 */
import { CHUNK_SIZE } from "../../../shared/blob-layout";
import type { BlobRef } from "../../../shared/records";
import type { Cluster } from "./cluster";

/** Bytes `[start, end)` from the first replica that has them, from `from` on (round); which one. */
async function readFrom(cluster: Cluster, ref: BlobRef, start: number, end: number, from = 0): Promise<{ bytes: Uint8Array; replica: number }> {
  for (let k = 0; k < ref.nodes.length; k++) {
    const replica = (from + k) % ref.nodes.length;
    const node = ref.nodes[replica]!;
    const bytes = await cluster.ask(() => cluster.node(node).read(ref.id, start, end));
    if (bytes !== "down" && bytes !== null) return { bytes, replica };
  }
  throw unreadable(ref);
}

/** The first replica, in the ref's order, that holds the blob whole and is up: where to read its files. */
export async function locateBlob(cluster: Cluster, ref: BlobRef): Promise<string> {
  for (const node of ref.nodes) {
    if ((await cluster.ask(() => cluster.node(node).holds(ref.id, ref.size))) === true) return node;
  }
  throw unreadable(ref);
}

function unreadable(ref: BlobRef): Error {
  return new Error(`no replica of blob ${ref.id} could be read (nodes ${ref.nodes.join(", ")})`);
}

export async function readBlob(cluster: Cluster, ref: BlobRef, start: number, end: number): Promise<Uint8Array> {
  return (await readFrom(cluster, ref, start, end)).bytes;
}

/**
 * Bytes `[start, end)` as a stream that reads one chunk at a time, as the consumer pulls. A
 * replica that fails mid-stream is left for the next one, from the chunk that failed.
 */
export function streamBlob(cluster: Cluster, ref: BlobRef, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start;
  let replica = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (position >= end) return controller.close();
      const next = Math.min((Math.floor(position / CHUNK_SIZE) + 1) * CHUNK_SIZE, end);
      const read = await readFrom(cluster, ref, position, next, replica).catch((error: unknown) => error as Error);
      if (read instanceof Error) return controller.error(read);
      ({ replica } = read);
      position = next;
      controller.enqueue(read.bytes);
    },
  });
}
