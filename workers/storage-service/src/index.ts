/**
 * storage-service (8082): wiring only. While it is down (service_down), /health says so and
 * its RPC data calls fail or hang (storage-service.ts); the node API, a control plane, stays up.
 */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { serviceGate } from "../../../shared/faults/service-gate";
import { healthApp } from "../../../shared/health";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { Cluster } from "./cluster";
import { clusterReport } from "./cluster-report";
import { nodeApi } from "./node-api";

import { STORAGE_STATE } from "./storage-service";
import { controlGuard } from "../../../shared/control/middleware";

export { StorageService } from "./storage-service";
export { FaultControl } from "../../../shared/faults/service-gate";

// the rules this worker checks (shared/faults/gate-services.ts)
serviceGate.serve("storage-service");

/** `/health`: every node's state and usage and the backlog; "degraded" while a node is down. */
const health = healthApp<StorageEnv>("storage-service", async (env) => {
  const report = await clusterReport(new Cluster(env));
  return { ...(report.nodes.some((n) => n.state === "down") ? { status: "degraded" } : {}), ...report };
});

const app = new Hono<{ Bindings: StorageEnv }>()
  .use(requestLog("storage-service"))
  .use("/api/v1/*", controlGuard())
  .use("/health", serviceDown("storage-service"))
  .route("/", health)
  .route("/", nodeApi);

export default tracedWorker("storage-service", app.fetch, STORAGE_STATE) satisfies ExportedHandler<StorageEnv>;
