/**
 * The worker that hosts MockS3's Durable Objects (see the root wrangler.toml). Services bind
 * them by script name and call their typed RPC methods; this worker serves no traffic itself.
 */
export { BucketDO } from "./bucket/bucket-do";
export { FaultRulesDO } from "./fault-rules/fault-rules-do";
export { BucketRegistryDO } from "./registry/registry-do";
export { StorageClusterDO } from "./storage-cluster/storage-cluster-do";
export { StorageNodeDO } from "./storage-node/storage-node-do";

export default {
  fetch: () => new Response("MockS3 Durable Objects host: no HTTP surface\n", { status: 404 }),
} satisfies ExportedHandler;
