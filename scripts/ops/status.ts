/**
 * `npm run status`: is MockS3 running, where, and what is in force — the stack's process,
 * each service's health, the storage nodes, the fault rules by name with what each injected,
 * and the anomalies (the seed's `make status`). A stack started on another MOCKS3_PORT is
 * found through its run record, so the user need not repeat the port.
 */
import path from "node:path";
import { stackIsRunning } from "../../sidecars/stack/leftovers";
import type { RunRecord } from "../../sidecars/stack/run-record";
import { toolArgs } from "./cli";
import { HOW_FOUND, locateStack, probe } from "./endpoints";

/** rules listed one by one unless --all-rules: a store may hold 10,000 */
const RULES_LISTED = 20;

const USAGE = `usage: npm run status [-- flags]
  What a running MockS3 is and holds: its data directory and process, each service's health,
  the storage nodes, every fault rule by name with the requests it matched and the faults it
  injected, and the anomalies. Exits 0 when every service is healthy, 1 if not.
  --all-rules         list every rule (default: the first ${RULES_LISTED})
  -h, --help          this text
  ${HOW_FOUND}`;

interface RuleStats {
  name: string;
  service: string;
  action: string;
  enabled: boolean;
  matched: number;
  injected: number;
}

const { values } = toolArgs(USAGE, { options: { "all-rules": { type: "boolean", default: false } } });
const stack = await locateStack();
console.log(`data directory  ${path.resolve(stack.dataDir)} (${await processLine(stack.run)})`);
console.log(`ports from      ${stack.source}`);
let healthy = true;
for (const service of [...stack.services, { name: "anomalies sidecar", url: stack.anomalies }]) {
  const health = await probe(`${service.url}/health`);
  healthy &&= health.ok;
  console.log(`${service.name.padEnd(20)} ${service.url.padEnd(24)} ${health.ok ? (health.json?.status ?? "ok") : `down (${health.status})`}`);
}
const url = (name: string) => stack.services.find((s) => s.name === name)?.url;
const nodes = await probe(`${url("storage-service")}/api/v1/nodes`);
if (nodes.ok) console.log(`storage nodes   ${nodes.json.nodes.map((n: { name: string; state: string }) => `${n.name} ${n.state}`).join(", ")}`);
const stats = await probe(`${url("mock-error-service")}/api/v1/stats`, 10_000);
if (stats.ok) printRules(stats.json.rules as RuleStats[], stats.json.enabled_rules as number, values["all-rules"]);
const anomalies = await probe(`${url("mock-error-service")}/api/v1/metric-anomaly`);
if (anomalies.ok) console.log(`anomalies       ${anomalies.json.anomalies.filter((a: { state: string }) => a.state === "running").length} running of ${anomalies.json.total}`);
process.exit(healthy ? 0 : 1);

async function processLine(run: RunRecord | undefined): Promise<string> {
  if (!run) return "no stack recorded";
  return `stack process ${run.nodePid}${(await stackIsRunning(run)) ? "" : ", not running: it was killed and left its record"}`;
}

/** One line for the rule set, then one per rule: name, where it acts, what it did. */
function printRules(rules: RuleStats[], enabled: number, all: boolean): void {
  const injected = rules.reduce((sum, rule) => sum + rule.injected, 0);
  console.log(`fault rules     ${rules.length} (${enabled} enabled), ${injected} injections`);
  const listed = all ? rules : rules.slice(0, RULES_LISTED);
  const width = Math.min(40, Math.max(0, ...listed.map((rule) => rule.name.length)));
  for (const rule of listed) {
    const where = `${rule.service} ${rule.action}${rule.enabled ? "" : " (disabled)"}`;
    console.log(`  ${rule.name.padEnd(width)}  ${where.padEnd(40)} ${rule.injected} injected of ${rule.matched} matched`);
  }
  if (listed.length < rules.length) console.log(`  … and ${rules.length - listed.length} more (--all-rules lists them)`);
}
