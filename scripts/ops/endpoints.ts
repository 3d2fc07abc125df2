/**
 * Where a running MockS3 is, for the convenience commands (`npm run health-check`, `status`,
 * `test-api`): the same variables as `npm start` (MOCKS3_HOST, MOCKS3_PORT,
 * MOCKS3_ANOMALY_PORT, MOCKS3_DATA_DIR), the same defaults.
 */
export const SERVICE_PORTS: Array<[name: string, offset: number]> = [
  ["gateway", 0],
  ["metadata-service", 1],
  ["storage-service", 2],
  ["queue-service", 3],
  ["third-party-service", 4],
  ["mock-error-service", 5],
];

export interface Endpoints {
  services: Array<{ name: string; url: string }>;
  anomalies: string;
  dataDir: string;
}

export function endpoints(env: NodeJS.ProcessEnv = process.env): Endpoints {
  const host = env.MOCKS3_HOST && env.MOCKS3_HOST !== "0.0.0.0" ? env.MOCKS3_HOST : "127.0.0.1";
  const base = Number(env.MOCKS3_PORT || 8080);
  const url = (port: number) => `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    services: SERVICE_PORTS.map(([name, offset]) => ({ name, url: url(base + offset) })),
    anomalies: url(Number(env.MOCKS3_ANOMALY_PORT || base + 10)),
    dataDir: env.MOCKS3_DATA_DIR || "./.mocks3",
  };
}

/** A GET with a time limit: its status and JSON body, or the reason it failed. */
export async function probe(url: string, timeoutMs = 3000): Promise<{ ok: boolean; status: number | string; ms: number; json?: any }> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { signal: controller.signal });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { ok: response.ok, status: response.status, ms: performance.now() - started, json };
  } catch (error) {
    return { ok: false, status: controller.signal.aborted ? "timeout" : ((error as Error).cause as Error)?.message ?? String(error), ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
