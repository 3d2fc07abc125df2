/**
 * `npm run health-check`: every service's `GET /health` and the anomalies sidecar's, one
 * line each; exits 1 when any is not healthy (the seed's `make health-check`).
 */
import { endpoints, probe } from "./endpoints";

const { services, anomalies } = endpoints();
const targets = [...services, { name: "anomalies sidecar", url: anomalies }];
const results = await Promise.all(targets.map(async (target) => ({ target, result: await probe(`${target.url}/health`) })));
for (const { target, result } of results) {
  const state = result.json?.status ?? (result.ok ? "ok" : "unreachable");
  console.log(`${result.ok ? "✔" : "✘"} ${target.name.padEnd(20)} ${target.url.padEnd(24)} ${String(result.status).padEnd(5)} ${state.padEnd(9)} ${result.ms.toFixed(0)} ms`);
}
process.exit(results.every(({ result }) => result.ok) ? 0 : 1);
