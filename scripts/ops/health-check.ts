/**
 * `npm run health-check`: every service's `GET /health` and the anomalies sidecar's, one
 * line each; exits 1 when any is not healthy (the seed's `make health-check`).
 */
import { toolArgs } from "./cli";
import { HOW_FOUND, locateStack, probe } from "./endpoints";

const USAGE = `usage: npm run health-check [-- --help]
  Probes GET /health of the six services and the anomalies sidecar of a running MockS3, one
  line each (✔/✘, name, URL, HTTP status, state, time); exits 0 when all are healthy, 1 if not.
  ${HOW_FOUND}`;

toolArgs(USAGE, {});
const { services, anomalies } = await locateStack();
const targets = [...services, { name: "anomalies sidecar", url: anomalies }];
const results = await Promise.all(targets.map(async (target) => ({ target, result: await probe(`${target.url}/health`) })));
for (const { target, result } of results) {
  const state = result.json?.status ?? (result.ok ? "ok" : "unreachable");
  console.log(`${result.ok ? "✔" : "✘"} ${target.name.padEnd(20)} ${target.url.padEnd(24)} ${String(result.status).padEnd(5)} ${state.padEnd(9)} ${result.ms.toFixed(0)} ms`);
}
process.exit(results.every(({ result }) => result.ok) ? 0 : 1);
