/**
 * Which storage node holds a blob: a stable hash of the blob id over the configured nodes,
 * so placement survives restarts without being stored anywhere.
 */
export function nodeCount(env: { MOCKS3_STORAGE_NODES?: string }): number {
  const n = Number.parseInt(env.MOCKS3_STORAGE_NODES ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : 3;
}

export function nodeName(index: number): string {
  return `node-${index}`;
}

export function placeBlob(id: string, nodes: number): string {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
  return nodeName((hash >>> 0) % nodes);
}

/** Every node's blob count and bytes, for `/health`. */
export async function nodeStats(env: StorageEnv): Promise<Array<{ name: string; blobs: number; bytes: number }>> {
  const names = Array.from({ length: nodeCount(env) }, (_, i) => nodeName(i));
  return Promise.all(names.map(async (name) => ({ name, ...(await env.STORAGE_NODE.getByName(name).stats()) })));
}
