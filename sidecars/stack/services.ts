/** The workers of the stack, each with its wrangler config and its port (an offset from MOCKS3_PORT). */
export interface ServiceDef {
  name: string;
  /** wrangler config, relative to the repository root */
  config: string;
  /** the port offset of its HTTP socket; the gateway's is served by the front door */
  portOffset?: number;
}

export const SERVICES: ServiceDef[] = [
  { name: "gateway", config: "workers/gateway/wrangler.toml", portOffset: 0 },
  { name: "metadata-service", config: "workers/metadata-service/wrangler.toml", portOffset: 1 },
  { name: "storage-service", config: "workers/storage-service/wrangler.toml", portOffset: 2 },
  { name: "queue-service", config: "workers/queue-service/wrangler.toml", portOffset: 3 },
  { name: "third-party-service", config: "workers/third-party-service/wrangler.toml", portOffset: 4 },
  { name: "mock-error-service", config: "workers/mock-error-service/wrangler.toml", portOffset: 5 },
  { name: "mocks3-durable-objects", config: "wrangler.toml" },
];
