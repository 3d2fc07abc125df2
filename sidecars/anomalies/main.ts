/**
 * The anomalies sidecar: a Node process that carries out metric anomalies with real resources
 * (runner.ts, types/), serves their API and `/metrics` on loopback (api.ts), and keeps their
 * state in the data directory (state-file.ts). `npm start` runs it as a child of the stack;
 * it can also run alone: `tsx sidecars/anomalies/main.ts`.
 *
 * Start-up order matters: the state of a previous run is read and every module cleans what a
 * killed sidecar left behind, before the port is opened. It ends on SIGTERM/SIGINT, and when
 * the stack that started it goes away (the IPC channel closes), cancelling what runs first.
 */
import { mkdir } from "node:fs/promises";
import { serve } from "@hono/node-server";
import type { StackToSidecar } from "../../shared/telemetry/sidecar-messages";
import { anomalyApi } from "./api";
import { readSidecarConfig, type SidecarConfig } from "./config";
import { cleanLeftovers } from "./leftovers";
import { anomalyMetrics } from "./metrics";
import { processMetrics } from "./process-metrics";
import { requestMetrics } from "./request-metrics";
import { stateMetrics } from "./state-metrics";
import { AnomalyRunner } from "./runner";
import { settlePrevious, StateFile } from "./state-file";
import { ANOMALY_MODULES } from "./types/index";
import { indexApi } from "../search-index/api";
import type { LogLine } from "../../shared/telemetry/log-line";
import { LiveFeed, liveApi, trafficOf } from "./live-feed";
import { TrafficWindows } from "./traffic-windows";
import { windowApi } from "./window-api";
import { indexMetrics } from "../search-index/index-metrics";
import { IndexStore, storeLocation } from "../search-index/store";
import { collectStartUpGarbage } from "../collect-start-up";

let config: SidecarConfig;
try {
  config = readSidecarConfig();
} catch (error) {
  console.error(`the anomalies sidecar cannot start: ${(error as Error).message}`);
  process.exit(1);
}

await mkdir(config.dataDir, { recursive: true });
const state = new StateFile(config.dataDir);
const previous = settlePrevious(await state.load());
const cleaned = await cleanLeftovers(ANOMALY_MODULES, config.dataDir, config.mockErrorUrl);
let metrics: ReturnType<typeof anomalyMetrics> | undefined;
const runner = new AnomalyRunner({
  modules: ANOMALY_MODULES,
  caps: config.caps,
  dataDir: config.dataDir,
  services: config.services,
  mockErrorUrl: config.mockErrorUrl,
  state,
  previous,
  onEnd: (anomaly) => metrics?.ended.inc({ type: anomaly.anomaly_type, state: anomaly.state }),
});
await state.save(runner.list());
metrics = anomalyMetrics({ dataDir: config.dataDir, running: () => runner.running() });
// the services' metrics: request and fault lines from the stack, state read when scraped
const requests = requestMetrics(metrics.registry);
stateMetrics(metrics.registry, config.services);
const processes = processMetrics(metrics.registry, process.connected ? process.ppid : undefined);
// the console's live view and traffic chart (live-feed.ts), and the experiments' traffic
// windows (traffic-windows.ts): each batch is one slot of the windows, sealed once it is in
const live = new LiveFeed();
const windows = new TrafficWindows(Date.now, true);
const toFeeds = (line: LogLine) => {
  live.add(line);
  windows.add(line);
};
process.on("message", (message: StackToSidecar) => {
  if (message?.type !== "telemetry") return;
  requests.ingest(message, toFeeds);
  windows.seal();
});
// the search index (libSQL) that queue-service fills and metadata-service searches
const index = await IndexStore.open(storeLocation(config.dataDir));
indexMetrics(metrics.registry, index);
const app = anomalyApi({ runner, registry: metrics.registry, health: () => ({ ...cleaned }) });
app.route("/index", indexApi(index));
app.route(
  "/",
  liveApi(live, async () => trafficOf(await requests.requestCounts())),
);
app.route("/", windowApi(windows));
const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port });
server.once("error", (error) => {
  console.error(`the anomalies sidecar cannot listen on ${config.host}:${config.port}: ${error.message}`);
  process.exit(1);
});
server.once("listening", () => {
  console.log(JSON.stringify({ level: "info", msg: "anomalies sidecar listening", url: `http://${config.host}:${config.port}`, pid: process.pid, caps: config.caps }));
  collectStartUpGarbage();
});

let stopping = false;
async function stop(why: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(JSON.stringify({ level: "info", msg: `anomalies sidecar stopping (${why})` }));
  setTimeout(() => process.exit(1), 25_000).unref();
  await runner.close();
  metrics?.stop();
  processes.stop();
  server.close();
  index.close();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
process.on("disconnect", () => void stop("the stack went away"));
