/**
 * mock-error-service (8085): the fault rule API of the seeds — rules, stats, events — plus
 * halt, reset and the global seed, and the recording and replay of injection decisions. The rules live in FaultRulesDO; every service's gate
 * applies them at its own boundary (shared/faults). Metric anomalies are carried out by the
 * anomalies sidecar, which this service fronts (anomaly-sidecar.ts). It also serves the chaos
 * console (console/), whose pages use these APIs, and LocalStack's chaos API as fault rules
 * (localstack-chaos.ts), which the gateway forwards from the S3 port. Experiments (a
 * hypothesis, a timeline of faults, stop conditions, a report) run in ExperimentsDO,
 * hosted here (experiments/).
 */
import { Hono } from "hono";
import { healthApp } from "../../../shared/health";
import { requestLog } from "../../../shared/telemetry/request-log";
import { tracedWorker } from "../../../shared/telemetry/traced-worker";
import { accountingApi } from "./accounting-api";
import { anomaliesApi } from "./anomalies-api";
import { controlApi } from "./control-api";
import { experimentsApi } from "./experiments/experiments-api";
import { localstackChaosApi } from "./localstack-chaos";
import { recordingsApi } from "./recordings-api";
import { rulesApi } from "./rules-api";
import { statesApi } from "./states-api";
import { consoleApi } from "./console/console-api";
import { consoleApp } from "./console/console-app";
import { withErrorAnswers } from "../../../shared/json-body";
import { controlGuard } from "../../../shared/control/middleware";

const app = new Hono<{ Bindings: MockErrorEnv }>();
app.use(requestLog("mock-error-service"));
app.use("/api/v1/*", controlGuard());
app.use("/_localstack/*", controlGuard());
app.route("/", healthApp<MockErrorEnv>("mock-error-service"));
app.route("/api/v1/rules", rulesApi);
app.route("/api/v1/metric-anomaly", anomaliesApi);
app.route("/api/v1/metric-anomalies", anomaliesApi);
app.route("/api/v1", accountingApi);
app.route("/api/v1", controlApi);
app.route("/api/v1", recordingsApi);
app.route("/api/v1/experiments", experimentsApi);
app.route("/api/v1/internal/states", statesApi);
app.route("/api/v1/console", consoleApi);
// LocalStack's chaos API, also on the S3 port (the gateway forwards it here)
app.route("/_localstack/chaos", localstackChaosApi);
app.route("/", consoleApp);
withErrorAnswers(app, "mock-error-service");

export { ExperimentsDO } from "./experiments/experiments-do";

// the rule store is mock-error-service's state
export default tracedWorker("mock-error-service", app.fetch, { FAULT_RULES: "mock-error-service" }) satisfies ExportedHandler<MockErrorEnv>;
