/**
 * Where a running MockS3 is, for the ops tools (`npm run status`, `health-check`, `test-api`,
 * `load-test`, `logs`, `stop`): the same variables as `npm start` (MOCKS3_HOST, MOCKS3_PORT,
 * MOCKS3_ANOMALY_PORT, MOCKS3_DATA_DIR), the same defaults. Without MOCKS3_PORT, the ports
 * come from the run record a stack keeps in its data directory (sidecars/stack/run-record.ts),
 * so a stack started on another port is found from the same folder.
 */
import { readRunRecord, type RunRecord } from "../../sidecars/stack/run-record";
import { SERVICES } from "../../sidecars/stack/services";
import { bearer } from "../../shared/control/bearer";
import { controlPolicy } from "../../shared/control/guard";

/** The six services with a port of their own, in port order. */
const PORTED = SERVICES.flatMap(({ name, portOffset }) => (portOffset === undefined ? [] : [{ name, portOffset }]));
export const SERVICE_NAMES = PORTED.map((s) => s.name);

/** How every tool finds the stack, for its usage text. */
export const HOW_FOUND = `The stack is found by MOCKS3_PORT (and MOCKS3_HOST), else by the run record in
  MOCKS3_DATA_DIR (./.mocks3) that a running stack keeps, else on port 8080.`;

export interface Endpoints {
  services: Array<{ name: string; url: string }>;
  anomalies: string;
  dataDir: string;
  /** how the ports were found */
  source: "MOCKS3_PORT" | "run record" | "defaults";
  /** the data directory's run record, when a stack wrote one */
  run?: RunRecord;
}

export function dataDirOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.MOCKS3_DATA_DIR || "./.mocks3";
}

export async function locateStack(env: NodeJS.ProcessEnv = process.env): Promise<Endpoints> {
  const dataDir = dataDirOf(env);
  const run = await readRunRecord(dataDir);
  const recorded = run?.endpoints;
  if (!env.MOCKS3_PORT && recorded) {
    const services = Object.entries(recorded.services).map(([name, url]) => ({ name, url }));
    return { services, anomalies: recorded.anomalies, dataDir, source: "run record", run };
  }
  const host = env.MOCKS3_HOST && env.MOCKS3_HOST !== "0.0.0.0" ? env.MOCKS3_HOST : "127.0.0.1";
  const base = Number(env.MOCKS3_PORT || 8080);
  const url = (port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    services: PORTED.map(({ name, portOffset }) => ({ name, url: url(base + portOffset) })),
    anomalies: url(Number(env.MOCKS3_ANOMALY_PORT || base + 10)),
    dataDir,
    source: env.MOCKS3_PORT ? "MOCKS3_PORT" : "defaults",
    run,
  };
}

/** A GET with a time limit: its status and JSON body, or the reason it failed. */
// biome-ignore lint/suspicious/noExplicitAny: the services' JSON answers, each tool reads the fields it shows
export async function probe(url: string, timeoutMs = 3000): Promise<{ ok: boolean; status: number | string; ms: number; json?: any }> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // the control APIs ask for MOCKS3_CONTROL_TOKEN when the stack was started with one
    const response = await fetch(url, { signal: controller.signal, headers: bearer(controlPolicy(process.env).token) });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { ok: response.ok, status: response.status, ms: performance.now() - started, json };
  } catch (error) {
    return { ok: false, status: controller.signal.aborted ? "timeout" : (((error as Error).cause as Error)?.message ?? String(error)), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
