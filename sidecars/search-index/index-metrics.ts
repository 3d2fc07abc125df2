/** The search index's gauges (METRICS.md), read from its store when scraped. */
import { Gauge, type Registry } from "prom-client";
import type { IndexStore } from "./store";

export function indexMetrics(registry: Registry, store: IndexStore): void {
  const registers = [registry];
  new Gauge({
    name: "mocks3_search_index_objects",
    help: "objects in the metadata search index",
    registers,
    async collect() {
      this.set((await store.counts()).objects);
    },
  });
  new Gauge({
    name: "mocks3_dead_letters",
    help: "webhook deliveries recorded as dead letters (never got through)",
    registers,
    async collect() {
      this.set((await store.counts()).deadLetters);
    },
  });
}
