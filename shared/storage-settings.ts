/**
 * The storage cluster's settings, read by storage-service (placement), by the storage nodes
 * (their capacity) and by `npm start` (which refuses bad values before anything runs). Each
 * worker declares the variables it reads in its wrangler [vars]; the capacity is declared by
 * both storage-service and the Durable Objects host, and `npm start` hands both the same value.
 */

export interface StorageSettings {
  /** storage nodes node-0 … node-(nodes-1) */
  nodes: number;
  /** copies of each blob, at most `nodes` */
  replicas: number;
  /** bytes one node may hold (chunks of every blob, also those being written or released) */
  capacityBytes: number;
}

export interface StorageVars {
  MOCKS3_STORAGE_NODES?: string;
  MOCKS3_STORAGE_REPLICAS?: string;
  MOCKS3_STORAGE_NODE_CAPACITY_BYTES?: string;
}

export const MAX_NODES = 64;
export const DEFAULT_NODES = 3;
export const DEFAULT_REPLICAS = 2;
export const DEFAULT_CAPACITY_BYTES = 100 * 1024 ** 3;

/**
 * Parses the settings, throwing a reason for a bad value; an unset (or empty) value takes its
 * default. Replicas are capped at the node count, so that MOCKS3_STORAGE_NODES=1 alone works;
 * `npm start` refuses an explicit MOCKS3_STORAGE_REPLICAS above it (see checkReplicaCount).
 */
export function parseStorageSettings(vars: StorageVars): StorageSettings {
  const nodes = wholeNumber("MOCKS3_STORAGE_NODES", vars.MOCKS3_STORAGE_NODES, DEFAULT_NODES, 1, MAX_NODES);
  const replicas = wholeNumber("MOCKS3_STORAGE_REPLICAS", vars.MOCKS3_STORAGE_REPLICAS, DEFAULT_REPLICAS, 1, MAX_NODES);
  const capacityBytes = wholeNumber("MOCKS3_STORAGE_NODE_CAPACITY_BYTES", vars.MOCKS3_STORAGE_NODE_CAPACITY_BYTES, DEFAULT_CAPACITY_BYTES, 1, Number.MAX_SAFE_INTEGER);
  return { nodes, replicas: Math.min(replicas, nodes), capacityBytes };
}

/** An explicit replica count above the node count is a mistake worth stopping for. */
export function checkReplicaCount(vars: StorageVars): void {
  const { nodes } = parseStorageSettings(vars);
  const asked = vars.MOCKS3_STORAGE_REPLICAS ? Number(vars.MOCKS3_STORAGE_REPLICAS) : 0;
  if (asked > nodes) throw new Error(`MOCKS3_STORAGE_REPLICAS (${asked}) cannot exceed MOCKS3_STORAGE_NODES (${nodes})`);
}

function wholeNumber(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return n;
}

let cached: { vars: StorageVars; settings: StorageSettings } | undefined;

/** The settings of a worker's env, parsed once per isolate (the env object does not change). */
export function storageSettings(vars: StorageVars): StorageSettings {
  if (cached?.vars !== vars) cached = { vars, settings: parseStorageSettings(vars) };
  return cached.settings;
}

/** The storage nodes' names, in index order. */
export function nodeNames(settings: Pick<StorageSettings, "nodes">): string[] {
  return Array.from({ length: settings.nodes }, (_, i) => `node-${i}`);
}
