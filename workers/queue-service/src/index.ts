/** queue-service: wiring only. */
import { healthApp } from "../../../shared/health";

const app = healthApp<QueueEnv>("queue-service");

export default { fetch: app.fetch } satisfies ExportedHandler<QueueEnv>;
