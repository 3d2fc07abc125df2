/** queue-service: wiring only. */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { healthApp } from "../../../shared/health";

export { FaultControl } from "../../../shared/faults/service-gate";

const app = new Hono<{ Bindings: QueueEnv }>().use(requestLog("queue-service")).use(serviceDown("queue-service")).route("/", healthApp<QueueEnv>("queue-service"));

export default tracedWorker("queue-service", app.fetch) satisfies ExportedHandler<QueueEnv>;
