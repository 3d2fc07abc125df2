/**
 * Releasing and discarding blobs on every node that holds them. A node that is down (or
 * fails) gets the call later, from the cluster's backlog, so that nothing is orphaned.
 */
import type { BlobRef } from "../../../shared/records";
import type { BacklogTask, Cluster } from "./cluster";

/** Blobs no object uses any more: each node that holds some gets one call. */
export async function releaseBlobs(cluster: Cluster, refs: BlobRef[]): Promise<void> {
  const byNode = new Map<string, string[]>();
  for (const ref of refs) for (const node of ref.nodes) byNode.set(node, [...(byNode.get(node) ?? []), ref.id]);
  const entries = [...byNode];
  const answers = await Promise.all(entries.map(([node, ids]) => cluster.ask(() => cluster.node(node).release(ids))));
  const missed = entries.filter((_, i) => answers[i] === "down");
  await cluster.record(missed.flatMap(([node, ids]) => ids.map((blobId): BacklogTask => ({ kind: "release", node, blobId }))));
}

/**
 * Deletes a blob whose write failed or was rejected. Every node is asked: parts of a write
 * may have gone past full replicas to any node. A down node is recorded only if it is one of
 * the blob's replicas — another one could hold only parts of an unfinished write, which the
 * node's own sweep deletes once abandoned.
 */
export async function discardBlob(cluster: Cluster, ref: BlobRef): Promise<void> {
  const answers = await Promise.all(cluster.names.map((name) => cluster.ask(() => cluster.node(name).discard(ref.id))));
  const missed = cluster.names.filter((name, i) => answers[i] === "down" && ref.nodes.includes(name));
  await cluster.record(missed.map((node): BacklogTask => ({ kind: "discard", node, blobId: ref.id })));
}
