/** storage-service (8082): wiring only. */
import { healthApp } from "../../../shared/health";
import { nodeStats } from "./placement";

export { StorageService } from "./storage-service";

const app = healthApp<StorageEnv>("storage-service", async (env) => ({ nodes: await nodeStats(env) }));

export default { fetch: app.fetch } satisfies ExportedHandler<StorageEnv>;
