/** queue-service: wiring only. */
import { healthApp } from "../../../shared/health";

export { FaultControl } from "../../../shared/faults/service-gate";

const app = healthApp<QueueEnv>("queue-service");

export default { fetch: app.fetch } satisfies ExportedHandler<QueueEnv>;
