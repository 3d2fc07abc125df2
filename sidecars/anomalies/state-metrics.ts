/**
 * Metrics of what the services hold (METRICS.md), read from their control APIs when
 * Prometheus scrapes: fault rules (mock-error-service), buckets with their objects and bytes
 * (metadata-service), storage nodes (storage-service). A service that does not answer
 * within 2 s leaves its series out of that scrape rather than reporting stale numbers.
 */
import { Gauge, type Registry } from "prom-client";
import type { BucketUsage } from "../../shared/bucket-usage";
import type { ClusterReport } from "../../shared/storage-report";

const READ_TIMEOUT_MS = 2000;
/** the largest buckets get a series each; the rest count in `mocks3_buckets` only */
export const MAX_BUCKET_SERIES = 200;

export function stateMetrics(registry: Registry, services: Record<string, string>): void {
  const registers = [registry];
  const read = <T>(service: string, path: string) => readJson<T>(services[service], path);

  new Gauge({
    name: "mocks3_fault_rules",
    help: "fault rules stored in mock-error-service, by state",
    labelNames: ["state"] as const,
    registers,
    async collect() {
      this.reset();
      const answer = await read<{ rules: { enabled: boolean }[] }>("mock-error-service", "/api/v1/rules");
      if (!answer) return;
      const enabled = answer.rules.filter((rule) => rule.enabled).length;
      this.set({ state: "enabled" }, enabled);
      this.set({ state: "disabled" }, answer.rules.length - enabled);
    },
  });

  const bucketUsage = oncePerScrape(() => read<BucketUsage>("metadata-service", "/api/v1/buckets"));
  new Gauge({
    name: "mocks3_buckets",
    help: "buckets stored",
    registers,
    async collect() {
      this.reset();
      const u = await bucketUsage();
      if (u) this.set(u.total);
    },
  });
  new Gauge({
    name: "mocks3_queue_length",
    help: "work waiting in queue-service's queues: object-events counts the object events in the buckets' outboxes not yet handled",
    labelNames: ["queue"] as const,
    registers,
    async collect() {
      this.reset();
      const u = await bucketUsage();
      if (u)
        this.set(
          { queue: "object-events" },
          u.buckets.reduce((sum, b) => sum + b.pendingEvents, 0),
        );
    },
  });
  for (const [name, help, field] of [
    ["mocks3_bucket_objects", "current objects per bucket (the largest buckets)", "objects"],
    ["mocks3_bucket_bytes", "bytes of current objects per bucket (the largest buckets)", "bytes"],
  ] as const) {
    new Gauge({
      name,
      help,
      labelNames: ["bucket"] as const,
      registers,
      async collect() {
        this.reset();
        const u = await bucketUsage();
        const largest = (u?.buckets ?? []).toSorted((a, b) => b.bytes - a.bytes || b.objects - a.objects).slice(0, MAX_BUCKET_SERIES);
        for (const bucket of largest) this.set({ bucket: bucket.name }, bucket[field]);
      },
    });
  }

  const clusterReport = oncePerScrape(() => read<ClusterReport>("storage-service", "/api/v1/nodes"));
  new Gauge({
    name: "mocks3_storage_node_up",
    help: "1 while a storage node is up, 0 while it is marked down",
    labelNames: ["node"] as const,
    registers,
    async collect() {
      this.reset();
      for (const node of (await clusterReport())?.nodes ?? []) this.set({ node: node.name }, node.state === "up" ? 1 : 0);
    },
  });
  new Gauge({
    name: "mocks3_storage_node_used_bytes",
    help: "bytes stored on each storage node",
    labelNames: ["node"] as const,
    registers,
    async collect() {
      this.reset();
      for (const node of (await clusterReport())?.nodes ?? []) this.set({ node: node.name }, node.used_bytes);
    },
  });
}

/**
 * One read shared by the gauges that need it within a scrape (prom-client collects them all
 * at once); the next scrape reads again.
 */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => (pending ??= read().finally(() => setTimeout(() => (pending = undefined), 0)));
}

async function readJson<T>(base: string | undefined, path: string): Promise<T | undefined> {
  if (!base) return undefined;
  try {
    const response = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(READ_TIMEOUT_MS) });
    return response.ok ? ((await response.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
