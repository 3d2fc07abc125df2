/**
 * gateway (the S3 API, 8080 through the front door): wiring only. A path-style `GET /health`
 * is the health check, a path-style `/_localstack/chaos/*` LocalStack's chaos API, forwarded
 * to mock-error-service and answered even while the gateway is down (s3/path-style.ts);
 * everything else is S3. While the gateway is down (service_down) the health check and S3
 * say so.
 */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { serviceGate } from "../../../shared/faults/service-gate";
import { healthApp } from "../../../shared/health";
import { requestLog, type RequestLogVariables } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { gatewayDown } from "./faults/service-down";
import { isHealthCheck, isPathStyle } from "./s3/path-style";
import { handleS3 } from "./s3/pipeline";

export { FaultControl } from "../../../shared/faults/service-gate";

// the rules this worker checks (shared/faults/gate-services.ts)
serviceGate.serve("gateway");

const health = healthApp<GatewayEnv>("gateway");

const app = new Hono<{ Bindings: GatewayEnv; Variables: RequestLogVariables }>();
app.use(requestLog("gateway"));
app.all("/_localstack/chaos/*", (c, next) => (isPathStyle(c.req.raw, c.env) ? c.env.MOCK_ERROR.fetch(c.req.raw) : next()));
app.use(serviceDown("gateway", gatewayDown(isHealthCheck)));
app.get("/health", (c, next) => (isHealthCheck(c.req.raw, c.env) ? health.fetch(c.req.raw, c.env) : next()));
app.all("*", (c) => handleS3(c.req.raw, c.env, c.executionCtx as ExecutionContext, c.var.requestLog));

// the bucket objects are metadata-service's state; STORAGE and THIRD_PARTY are their services' entrypoints
export default tracedWorker("gateway", app.fetch, {
  BUCKET: "metadata-service",
  MOCK_ERROR: "mock-error-service",
  REGISTRY: "metadata-service",
  STORAGE: "storage-service",
  THIRD_PARTY: "third-party-service",
}) satisfies ExportedHandler<GatewayEnv>;
