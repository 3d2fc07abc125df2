/**
 * The anomalies sidecar's configuration, from the environment the stack passes it (or the
 * user's, when it runs alone): where to listen, the data directory, the services' loopback
 * URLs and the caps.
 */
import path from "node:path";
import { readCaps, type Caps } from "./caps";

export interface SidecarConfig {
  host: string;
  port: number;
  dataDir: string;
  /** each service's base URL by name; mock-error-service's among them */
  services: Record<string, string>;
  mockErrorUrl: string;
  caps: Caps;
}

/** The stack's services and their offsets from MOCKS3_PORT (sidecars/stack/services.ts). */
const SERVICE_OFFSETS: Record<string, number> = {
  gateway: 0,
  "metadata-service": 1,
  "storage-service": 2,
  "queue-service": 3,
  "third-party-service": 4,
  "mock-error-service": 5,
};

/** The sidecar's port: MOCKS3_ANOMALY_PORT, else MOCKS3_PORT + 10 (8090). */
export function anomalyPort(env: NodeJS.ProcessEnv = process.env): number {
  const basePort = Number(env.MOCKS3_PORT ?? "8080");
  const port = env.MOCKS3_ANOMALY_PORT === undefined || env.MOCKS3_ANOMALY_PORT === "" ? basePort + 10 : Number(env.MOCKS3_ANOMALY_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`MOCKS3_ANOMALY_PORT must be a port number, got ${JSON.stringify(env.MOCKS3_ANOMALY_PORT)}`);
  return port;
}

export function readSidecarConfig(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const basePort = Number(env.MOCKS3_PORT ?? "8080");
  const services = env.MOCKS3_ANOMALY_SERVICES
    ? (JSON.parse(env.MOCKS3_ANOMALY_SERVICES) as Record<string, string>)
    : Object.fromEntries(Object.entries(SERVICE_OFFSETS).map(([name, offset]) => [name, `http://127.0.0.1:${basePort + offset}`]));
  for (const [name, url] of Object.entries(services)) {
    if (!isLoopback(url)) throw new Error(`${name} is at ${url}: anomalies only target services on loopback`);
  }
  const mockErrorUrl = services["mock-error-service"];
  if (!mockErrorUrl) throw new Error("MOCKS3_ANOMALY_SERVICES names no mock-error-service");
  return {
    host: env.MOCKS3_ANOMALY_HOST ?? env.MOCKS3_HOST ?? "127.0.0.1",
    port: anomalyPort(env),
    dataDir: path.resolve(env.MOCKS3_DATA_DIR ?? ".mocks3"),
    services,
    mockErrorUrl,
    caps: readCaps(env),
  };
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}
