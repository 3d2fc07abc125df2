/** third-party-service: wiring only. */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { healthApp } from "../../../shared/health";

export { FaultControl } from "../../../shared/faults/service-gate";

const app = new Hono<{ Bindings: ThirdPartyEnv }>().use(requestLog("third-party-service")).use(serviceDown("third-party-service")).route("/", healthApp<ThirdPartyEnv>("third-party-service"));

export default tracedWorker("third-party-service", app.fetch) satisfies ExportedHandler<ThirdPartyEnv>;
