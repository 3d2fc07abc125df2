/** third-party-service: wiring only. */
import { healthApp } from "../../../shared/health";

export { FaultControl } from "../../../shared/faults/service-gate";

const app = healthApp<ThirdPartyEnv>("third-party-service");

export default { fetch: app.fetch } satisfies ExportedHandler<ThirdPartyEnv>;
