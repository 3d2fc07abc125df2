/** queue-service: wiring only. */
import { Hono } from "hono";
import { serviceDown } from "../../../shared/faults/service-down";
import { requestLog } from "../../../shared/telemetry/request-log";
import { healthApp } from "../../../shared/health";

export { FaultControl } from "../../../shared/faults/service-gate";

const app = new Hono<{ Bindings: QueueEnv }>().use(requestLog("queue-service")).use(serviceDown("queue-service")).route("/", healthApp<QueueEnv>("queue-service"));

export default { fetch: app.fetch } satisfies ExportedHandler<QueueEnv>;
