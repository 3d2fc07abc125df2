/** storage-service (8082): wiring only. */
import { Hono } from "hono";
import { healthApp } from "../../../shared/health";
import { Cluster } from "./cluster";
import { clusterReport } from "./cluster-report";
import { nodeApi } from "./node-api";

export { StorageService } from "./storage-service";
export { FaultControl } from "../../../shared/faults/service-gate";

/** `/health`: every node's state and usage and the backlog; "degraded" while a node is down. */
const health = healthApp<StorageEnv>("storage-service", async (env) => {
  const report = await clusterReport(new Cluster(env));
  return { ...(report.nodes.some((n) => n.state === "down") ? { status: "degraded" } : {}), ...report };
});

const app = new Hono<{ Bindings: StorageEnv }>().route("/", health).route("/", nodeApi);

export default { fetch: app.fetch } satisfies ExportedHandler<StorageEnv>;
