/**
 * third-party-service (8084): wiring only. Its API sets each bucket's upstream S3 source
 * (upstreams-api.ts); the gateway reads through from it over RPC (ThirdPartyService). While
 * it is down (service_down) its API and /health say so, and read-throughs fail.
 */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { serviceGate } from "../../../shared/faults/service-gate";
import { healthApp } from "../../../shared/health";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { upstreamsApi } from "./upstreams-api";
import { UPSTREAMS_STATE } from "./upstreams-store";
import { withErrorAnswers } from "../../../shared/json-body";
import { controlGuard } from "../../../shared/control/middleware";

export { ThirdPartyService } from "./third-party-service";
export { FaultControl } from "../../../shared/faults/service-gate";

// the rules this worker checks (shared/faults/gate-services.ts)
serviceGate.serve("third-party-service");

const app = new Hono<{ Bindings: ThirdPartyEnv }>();
app.use(requestLog("third-party-service"));
app.use("/api/v1/*", controlGuard());
app.use(serviceDown("third-party-service"));
app.route("/", healthApp<ThirdPartyEnv>("third-party-service"));
app.route("/api/v1/upstreams", upstreamsApi);
withErrorAnswers(app, "third-party-service");

// the upstream store is third-party-service's state
export default tracedWorker("third-party-service", app.fetch, UPSTREAMS_STATE) satisfies ExportedHandler<ThirdPartyEnv>;
