/** What storage-service reports of its nodes (`GET /api/v1/nodes`, `/health`). */
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
