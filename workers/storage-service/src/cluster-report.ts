/** Every node's state and usage, and the backlog: for `/health` and the node API. */
import type { Cluster } from "./cluster";

export interface NodeEntry {
  name: string;
  state: "up" | "down";
  /** ready blobs on the node, and their bytes */
  blobs: number;
  bytes: number;
  /** every chunk the node holds (blobs being written or released too), against its capacity */
  used_bytes: number;
  capacity_bytes: number;
  /** repairs, releases and discards waiting for this node */
  backlog: number;
}

export interface ClusterReport {
  replicas: number;
  /** every task waiting in the backlog */
  repair_backlog: number;
  nodes: NodeEntry[];
}

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
