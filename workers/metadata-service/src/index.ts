/**
 * metadata-service (8081): wiring only. The bucket registry and the per-bucket metadata are
 * Durable Objects (durable-objects/) that the gateway calls directly over RPC.
 */
import { healthApp } from "../../../shared/health";

const app = healthApp<MetadataEnv>("metadata-service");

export default { fetch: app.fetch } satisfies ExportedHandler<MetadataEnv>;
