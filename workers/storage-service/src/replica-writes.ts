/**
 * Writing a blob to its R replicas, all at once. The happy path costs one call per replica
 * and per part, in parallel, and nothing else. A write succeeds while at least one replica
 * takes it; what the others missed is settled at the end (see settle.ts): a down node keeps
 * its place and is repaired later, a full one gives its place to the next node in hash order.
 *
 * A part that none of its replicas can take goes to the next nodes in hash order, so a
 * chunked write carries on past full nodes; the blob is assembled on its final nodes at
 * commit, node to node.
 */
import { CHUNK_SIZE } from "../../../shared/blob-layout";
import type { BlobRef } from "../../../shared/records";
import { isFailure, type Failure } from "../../../shared/s3-errors";
import type { BacklogTask, Cluster } from "./cluster";
import { settle, type Holding } from "./settle";
import { shortage, tooLarge } from "./shortage";

/** A new blob for a chunked write: its first R nodes in hash order, no node asked yet. */
export function beginBlob(cluster: Cluster): BlobRef {
  const id = crypto.randomUUID();
  return { id, size: 0, nodes: cluster.ranked(id).slice(0, cluster.settings.replicas) };
}

/** A blob written in one call to each replica (bodies up to one chunk). */
export async function putBlob(cluster: Cluster, bytes: Uint8Array): Promise<BlobRef | Failure> {
  const size = bytes.byteLength;
  const large = tooLarge(cluster, size);
  if (large) return large;
  const { id, nodes } = beginBlob(cluster);
  const write = (name: string): Promise<Holding> => cluster.ask(() => cluster.node(name).write(id, 0, [bytes], size));
  const answers = await Promise.all(nodes.map(write));
  if (answers.every((a) => a === "ok")) return { id, size, nodes };
  const known = new Map(nodes.map((name, i) => [name, answers[i]!]));
  // Nothing to clean up on failure: a node writes nothing it cannot hold.
  return settle(cluster, { id, size, order: cluster.ranked(id), known, fill: write });
}

/** Parts `first, first+1, …` of a chunked write, to every replica; past them if none takes it. */
export async function writeParts(cluster: Cluster, ref: BlobRef, first: number, parts: Uint8Array[]): Promise<Failure | undefined> {
  const end = first * CHUNK_SIZE + parts.reduce((total, part) => total + part.byteLength, 0);
  const placed = await placeParts(cluster, ref, end, (name) => cluster.node(name).write(ref.id, first, parts));
  return isFailure(placed) ? placed : undefined;
}

/**
 * Chunks `first, first+1, …` of a chunked write whose files the gateway writes itself: the
 * nodes that took them, to write them on.
 */
export function reserveParts(cluster: Cluster, ref: BlobRef, first: number, sizes: number[]): Promise<string[] | Failure> {
  const end = first * CHUNK_SIZE + sizes.reduce((total, size) => total + size, 0);
  return placeParts(cluster, ref, end, (name) => cluster.node(name).reserve(ref.id, first, sizes));
}

/**
 * Has parts ending at byte `end` of a blob taken by `take`: by every replica that will, and
 * if none does, by the first node past them in hash order. The nodes that took them.
 */
async function placeParts(cluster: Cluster, ref: BlobRef, end: number, take: (name: string) => Promise<"ok" | "full">): Promise<string[] | Failure> {
  const large = tooLarge(cluster, end);
  if (large) return large;
  const ask = (name: string) => cluster.ask(() => take(name));
  const answers = await Promise.all(ref.nodes.map(ask));
  const taken = ref.nodes.filter((_, i) => answers[i] === "ok");
  if (taken.length > 0) return taken;
  for (const name of cluster.ranked(ref.id)) {
    if (ref.nodes.includes(name)) continue;
    const answer = await ask(name);
    if (answer === "ok") return [name];
    answers.push(answer);
  }
  return shortage(cluster, answers);
}

/** Completes a chunked write: the final replicas, repaired or re-placed where parts went missing. */
export async function commitBlob(cluster: Cluster, ref: BlobRef, size: number): Promise<BlobRef | Failure> {
  const answers = await Promise.all(ref.nodes.map((name) => cluster.ask(() => cluster.node(name).commit(ref.id, size))));
  if (answers.every((a) => a === "ok")) return { ...ref, size };
  const known = new Map(ref.nodes.map((name, i): [string, Holding] => [name, answers[i] === "incomplete" ? "partial" : answers[i]!]));
  const order = cluster.orderFor(ref.id, ref.nodes);
  const fill = (name: string) => pullTo(cluster, name, ref.id, size, { id: ref.id, nodes: order.filter((n) => n !== name) });
  const settled = await settle(cluster, { id: ref.id, size, order, known, fill });
  // On failure the gateway discards the blob everywhere (see discardBlob).
  if (!isFailure(settled)) await dropCopies(cluster, ref.id, settled.nodes);
  return settled;
}

/**
 * A new blob with the source's bytes, made on the source's nodes without leaving them. A
 * source with fewer replicas than R (its nodes were full, or it predates replicas) gets the
 * missing copies on the next nodes in the copy's hash order.
 */
export async function copyBlob(cluster: Cluster, source: BlobRef): Promise<BlobRef | Failure> {
  const large = tooLarge(cluster, source.size);
  if (large) return large;
  const id = crypto.randomUUID();
  const fill = (name: string) => pullTo(cluster, name, id, source.size, { id: source.id, nodes: source.nodes.filter((n) => n !== name) });
  const answers = await Promise.all(source.nodes.map(fill));
  const enough = source.nodes.length >= cluster.settings.replicas;
  if (enough && answers.every((a) => a === "ok")) return { id, size: source.size, nodes: source.nodes };
  const known = new Map(source.nodes.map((name, i) => [name, answers[i]!]));
  const order = cluster.orderFor(id, source.nodes);
  const settled = await settle(cluster, { id, size: source.size, order, known, fill });
  await dropCopies(cluster, id, isFailure(settled) ? [] : settled.nodes);
  return settled;
}

/** Has a node pull a blob complete; a pull that fails leaves a part at most. */
async function pullTo(cluster: Cluster, name: string, id: string, size: number, source: { id: string; nodes: string[] }): Promise<Holding> {
  const answer = await cluster.ask(() => cluster.node(name).pull(id, size, source));
  return answer === "gone" || answer === "unreachable" ? "partial" : answer;
}

/**
 * Removes what a write left on nodes other than its replicas: parts that went past full
 * replicas, partial pulls. Any node may hold some, and this is the rare path: all are asked;
 * a node that is down gets the discard when it returns.
 */
async function dropCopies(cluster: Cluster, id: string, replicas: string[]): Promise<void> {
  const others = cluster.names.filter((name) => !replicas.includes(name));
  const answers = await Promise.all(others.map((name) => cluster.ask(() => cluster.node(name).discard(id))));
  await cluster.record(others.filter((_, i) => answers[i] === "down").map((node): BacklogTask => ({ kind: "discard", node, blobId: id })));
}
