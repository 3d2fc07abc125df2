/** Every node's state and usage, and the backlog: for `/health` and the node API. */
import type { ClusterReport, NodeEntry } from "../../../shared/storage-report";
import type { Cluster } from "./cluster";

export async function nodeEntry(cluster: Cluster, name: string, backlog: Record<string, number>): Promise<NodeEntry> {
  const r = await cluster.node(name).report();
  return { name, state: r.down ? "down" : "up", blobs: r.blobs, bytes: r.bytes, used_bytes: r.usedBytes, capacity_bytes: r.capacityBytes, backlog: backlog[name] ?? 0 };
}

export async function clusterReport(cluster: Cluster): Promise<ClusterReport> {
  const backlog = await cluster.control().backlog();
  const nodes = await Promise.all(cluster.names.map((name) => nodeEntry(cluster, name, backlog)));
  const waiting = Object.values(backlog).reduce((total, n) => total + n, 0);
  return { replicas: cluster.settings.replicas, repair_backlog: waiting, nodes };
}
