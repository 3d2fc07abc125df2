/**
 * Where a blob's replicas end up when its write did not simply land on every node it aimed
 * at. The rule, in the blob's node order: a node that holds the blob complete is a replica; a
 * node that is down is a replica too, recorded for repair from a complete one when it comes
 * back; a full node is skipped for the next. The walk stops at R replicas with at least one
 * complete — a blob is never placed on down nodes alone. Fewer than R is fine when the other
 * nodes are full: the write succeeds while one replica holds it.
 */
import type { BlobRef } from "../../../shared/records";
import type { Failure } from "../../../shared/s3-errors";
import type { Answer, BacklogTask, Cluster } from "./cluster";
import { shortage } from "./shortage";

/** A node's state for this blob: complete, out of room, down, or holding a part of it at most. */
export type Holding = Answer<"ok" | "full" | "partial">;

export interface SettleInput {
  id: string;
  size: number;
  /** the nodes to consider, in order: those the write aimed at first */
  order: string[];
  /** what is known already of some nodes */
  known: Map<string, Holding>;
  /** makes a node hold the blob complete (a write or a pull), for nodes not known or partial */
  fill(name: string): Promise<Holding>;
}

export async function settle(cluster: Cluster, input: SettleInput): Promise<BlobRef | Failure> {
  const complete: string[] = [];
  const down: string[] = [];
  const answers: Holding[] = [];
  const replicas = cluster.settings.replicas;
  for (const name of input.order) {
    if (complete.length > 0 && complete.length + down.length >= replicas) break;
    let holding = input.known.get(name);
    if (holding === undefined || holding === "partial") holding = await input.fill(name);
    answers.push(holding);
    if (holding === "ok") complete.push(name);
    else if (holding === "down") down.push(name);
  }
  if (complete.length === 0) return shortage(cluster, answers);
  const pending = down.slice(0, replicas - complete.length);
  await cluster.record(pending.map((node): BacklogTask => ({ kind: "repair", node, blobId: input.id, size: input.size, sources: complete })));
  // Complete replicas first: reads take the nodes in order.
  return { id: input.id, size: input.size, nodes: [...complete, ...pending] };
}
