/**
 * The worker that hosts MockS3's Durable Objects (see the root wrangler.toml). Services bind
 * them by script name and call their typed RPC methods; this worker serves no traffic itself.
 */
import { tracedDurableObject } from "../shared/telemetry/traced-durable-object";
import { BucketDO as Bucket } from "./bucket/bucket-do";
import { FaultRulesDO as FaultRules } from "./fault-rules/fault-rules-do";
import { BucketRegistryDO as Registry } from "./registry/registry-do";
import { StorageClusterDO as StorageCluster } from "./storage-cluster/storage-cluster-do";
import { StorageNodeDO as StorageNode } from "./storage-node/storage-node-do";
import { UpstreamsDO as Upstreams } from "./upstreams/upstreams-do";

// traced while OTEL_EXPORTER_OTLP_ENDPOINT is set (shared/telemetry/tracing.ts)
export const BucketDO = tracedDurableObject(Bucket);
export const BucketRegistryDO = tracedDurableObject(Registry);
export const FaultRulesDO = tracedDurableObject(FaultRules);
export const StorageClusterDO = tracedDurableObject(StorageCluster);
export const StorageNodeDO = tracedDurableObject(StorageNode);
export const UpstreamsDO = tracedDurableObject(Upstreams);
export type BucketDO = Bucket;
export type BucketRegistryDO = Registry;
export type FaultRulesDO = FaultRules;
export type StorageClusterDO = StorageCluster;
export type StorageNodeDO = StorageNode;
export type UpstreamsDO = Upstreams;

export default {
  fetch: () => new Response("MockS3 Durable Objects host: no HTTP surface\n", { status: 404 }),
} satisfies ExportedHandler;
