/**
 * Where a blob goes: rendezvous (highest-random-weight) hashing of the blob id over the node
 * names. Every node gets a score from a hash of (node, id); the blob's nodes in hash order
 * are the nodes sorted by score, its replicas the first R of them that can take it. The
 * order is a pure function of the id and the names, so it survives restarts without being
 * stored, and adding a node moves only the blobs the new node now wins. (A BlobRef still
 * records its nodes: a replica re-placed past a full node stays findable.)
 *
 * Imports nothing from the runtime, so the Node tests can check it directly.
 */

/** The node names in this blob's hash order: its preferred node first. */
export function rankNodes(id: string, names: readonly string[]): string[] {
  const idHash = fnv1a(id, 0x811c9dc5);
  return names
    .map((name) => ({ name, score: mix(fnv1a(name, idHash)) }))
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : 1))
    .map((entry) => entry.name);
}

/** FNV-1a over UTF-16 code units, continuing from `seed`. */
function fnv1a(text: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * MurmurHash3's finaliser: FNV alone leaves scores of similar names correlated (node-1 and
 * node-2 would win together); the avalanche makes each node's score independent.
 */
function mix(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
