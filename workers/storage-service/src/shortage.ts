/**
 * What a write answers when the storage nodes cannot take it, as a Failure the gateway turns
 * into its S3 error (storage-service returns it rather than throwing: an exception loses its
 * type on the way through RPC).
 *
 * Real S3 never runs out of room, so it has no code for this. ServiceUnavailable (503) is
 * what S3 answers when it cannot take a request now, and SDKs retry it: right for a shortage
 * that can pass (a node comes back up, released bytes are swept after their grace period).
 * An object larger than one node's whole capacity can never be stored, retry or not: that is
 * EntityTooLarge (400), as S3 answers past its own size limit.
 */
import type { Failure } from "../../../shared/s3-errors";
import type { Cluster } from "./cluster";

export function tooLarge(cluster: Cluster, bytes: number): Failure | undefined {
  const capacity = cluster.settings.capacityBytes;
  if (bytes <= capacity) return undefined;
  return {
    error: "EntityTooLarge",
    message: `Your proposed upload exceeds the maximum allowed object size: a storage node holds at most ${capacity} bytes (MOCKS3_STORAGE_NODE_CAPACITY_BYTES).`,
  };
}

/** No node took the bytes: out of room if any node said so, else none answered. */
export function shortage(cluster: Cluster, answers: readonly unknown[]): Failure {
  const nodes = cluster.settings.nodes;
  if (answers.includes("full")) {
    return {
      error: "ServiceUnavailable",
      message: `Insufficient storage: no storage node has room for these bytes (${nodes} nodes of ${cluster.settings.capacityBytes} bytes each, full or down).`,
    };
  }
  return { error: "ServiceUnavailable", message: `No storage node could store these bytes: the ${nodes} nodes are down or failing.` };
}
