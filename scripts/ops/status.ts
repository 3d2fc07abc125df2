/**
 * `npm run status`: is MockS3 running, where, and what is in force — the stack's process,
 * each service's health, the storage nodes, the fault rules and the anomalies (the seed's
 * `make status`).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { endpoints, probe } from "./endpoints";

const { services, anomalies, dataDir } = endpoints();
const run = await readFile(path.join(dataDir, "stack.json"), "utf8").then(JSON.parse, () => undefined);
console.log(`data directory  ${path.resolve(dataDir)}${run ? ` (stack process ${run.nodePid})` : " (no stack recorded)"}`);
let healthy = true;
for (const service of [...services, { name: "anomalies sidecar", url: anomalies }]) {
  const health = await probe(`${service.url}/health`);
  healthy &&= health.ok;
  console.log(`${service.name.padEnd(20)} ${service.url.padEnd(24)} ${health.ok ? (health.json?.status ?? "ok") : `down (${health.status})`}`);
}
const storage = services.find((s) => s.name === "storage-service")!;
const mockError = services.find((s) => s.name === "mock-error-service")!;
const nodes = await probe(`${storage.url}/api/v1/nodes`);
if (nodes.ok) console.log(`storage nodes   ${nodes.json.nodes.map((n: { name: string; state: string }) => `${n.name} ${n.state}`).join(", ")}`);
const rules = await probe(`${mockError.url}/api/v1/rules`);
if (rules.ok) console.log(`fault rules     ${rules.json.total} (${rules.json.rules.filter((r: { enabled: boolean }) => r.enabled).length} enabled)`);
const list = await probe(`${mockError.url}/api/v1/metric-anomaly`);
if (list.ok) console.log(`anomalies       ${list.json.anomalies.filter((a: { state: string }) => a.state === "running").length} running of ${list.json.total}`);
process.exit(healthy ? 0 : 1);
