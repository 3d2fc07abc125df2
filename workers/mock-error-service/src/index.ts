/** mock-error-service: wiring only. */
import { healthApp } from "../../../shared/health";

const app = healthApp<MockErrorEnv>("mock-error-service");

export default { fetch: app.fetch } satisfies ExportedHandler<MockErrorEnv>;
