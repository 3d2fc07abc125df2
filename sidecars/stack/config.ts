/**
 * The stack's configuration, read once from the environment. Every MOCKS3_* variable that a
 * worker declares in its wrangler config ([vars]) is passed to that worker as well; the
 * workers' own settings are checked here too, so a bad value stops `npm start` with a reason
 * instead of failing every request.
 */
import path from "node:path";
import { checkReplicaCount, parseStorageSettings } from "../../shared/storage-settings";
import { parseConfig } from "../../workers/gateway/src/config";
import { maxRecordedDecisions } from "../../workers/mock-error-service/src/recording-limit";
import { maxRules } from "../../workers/mock-error-service/src/rules-limit";
import { queueSettings } from "../../workers/queue-service/src/settings";
import { readCaps } from "../anomalies/caps";
import { consoleMode, type ConsoleMode } from "./console-summary";
import { workerdV8Flags } from "./workerd-v8-flags";
import { anomalyPort } from "../anomalies/config";

export interface StackConfig {
  /** where Durable Object SQLite files and everything else persistent lives */
  dataDir: string;
  /** the address every port binds to */
  host: string;
  /** the front door (S3 API); the other services follow it: +1 metadata … +5 mock-error */
  basePort: number;
  /** the anomalies sidecar: MOCKS3_ANOMALY_PORT, else MOCKS3_PORT + 10 */
  anomalyPort: number;
  /** MOCKS3_INSPECTOR_PORT: workerd's V8 inspector (CPU profiles of the workers), off when unset */
  inspectorPort?: number;
  /** MOCKS3_REQUEST_TIMEOUT_MS: how long the front door waits for the next byte of a request before RequestTimeout */
  requestTimeoutMs: number;
  /** MOCKS3_LOG_STDOUT: what of the structured log the terminal shows (it is all in <dataDir>/logs) */
  logStdout: ConsoleMode;
  /** MOCKS3_* variables and OTEL_EXPORTER_OTLP_ENDPOINT from the environment, handed to the workers that declare them */
  vars: Record<string, string>;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const basePort = Number.parseInt(env.MOCKS3_PORT ?? "8080", 10);
  if (!Number.isInteger(basePort) || basePort < 0 || basePort > 65530) {
    throw new Error(`MOCKS3_PORT must be a port number, got ${JSON.stringify(env.MOCKS3_PORT)}`);
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if ((name.startsWith("MOCKS3_") || name === "OTEL_EXPORTER_OTLP_ENDPOINT") && value !== undefined) vars[name] = value;
  }
  parseConfig({
    MOCKS3_AUTH: vars.MOCKS3_AUTH ?? "",
    MOCKS3_CREDENTIALS: vars.MOCKS3_CREDENTIALS ?? "",
    MOCKS3_REGION: vars.MOCKS3_REGION ?? "",
    MOCKS3_BASE_DOMAIN: vars.MOCKS3_BASE_DOMAIN ?? "",
    MOCKS3_INLINE_MAX_BYTES: vars.MOCKS3_INLINE_MAX_BYTES ?? "",
    MOCKS3_RESTORE_SECONDS: vars.MOCKS3_RESTORE_SECONDS ?? "",
    MOCKS3_LIFECYCLE_DAY_SECONDS: vars.MOCKS3_LIFECYCLE_DAY_SECONDS ?? "",
  });
  parseStorageSettings(vars);
  queueSettings(vars);
  checkReplicaCount(vars);
  maxRules(vars);
  maxRecordedDecisions(vars);
  workerdV8Flags(env);
  readCaps(env);
  return {
    dataDir: path.resolve(env.MOCKS3_DATA_DIR ?? ".mocks3"),
    host: env.MOCKS3_HOST ?? "127.0.0.1",
    basePort,
    anomalyPort: anomalyPort(env),
    logStdout: consoleMode(env.MOCKS3_LOG_STDOUT),
    requestTimeoutMs: readMilliseconds(env, "MOCKS3_REQUEST_TIMEOUT_MS", 20_000),
    inspectorPort: readPort(env, "MOCKS3_INSPECTOR_PORT"),
    vars,
  };
}

function readPort(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name]?.trim();
  if (value === undefined || value === "") return undefined;
  const port = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(port > 0 && port < 65536)) throw new Error(`${name} must be a port number, got ${JSON.stringify(env[name])}`);
  return port;
}

function readMilliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = env[name]?.trim();
  if (value === undefined || value === "") return fallback;
  const ms = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(ms >= 100 && ms <= 3_600_000)) throw new Error(`${name} must be a number of milliseconds from 100 to 3600000, got ${JSON.stringify(env[name])}`);
  return ms;
}
