/**
 * metadata-service (8081): wiring, the buckets' usage report (bucket-usage-api.ts) and the
 * metadata search (search-api.ts). The
 * bucket registry and the per-bucket metadata are Durable Objects (durable-objects/) that the
 * gateway calls directly over RPC; a metadata-service down is felt on that hop (gateway
 * faults/hops.ts) and here on /health.
 */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { serviceGate } from "../../../shared/faults/service-gate";
import { healthApp } from "../../../shared/health";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { bucketUsageApi } from "./bucket-usage-api";
import { searchApi } from "./search-api";
import { controlGuard } from "../../../shared/control/middleware";

export { FaultControl } from "../../../shared/faults/service-gate";

// the rules this worker checks (shared/faults/gate-services.ts)
serviceGate.serve("metadata-service");

const app = new Hono<{ Bindings: MetadataEnv }>()
  .use(requestLog("metadata-service"))
  .use("/api/v1/*", controlGuard())
  .use(serviceDown("metadata-service"))
  .route("/", healthApp<MetadataEnv>("metadata-service"))
  .route("/", bucketUsageApi)
  .route("/", searchApi);

export default tracedWorker("metadata-service", app.fetch, { BUCKET: "metadata-service", REGISTRY: "metadata-service" }) satisfies ExportedHandler<MetadataEnv>;
