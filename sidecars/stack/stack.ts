/**
 * The whole stack in one process: Miniflare hosting every worker (each on its own workerd
 * socket) and the front door on MOCKS3_PORT in front of the gateway. The front door's control
 * channel starts first: the gateway gets its URL as MOCKS3_FRONT_DOOR_CONTROL. The anomalies
 * sidecar, a child process, starts last; mock-error-service reaches it at MOCKS3_ANOMALY_URL.
 * The destination guard (destination-guard.ts) starts first too, and learns the stack's
 * ports once the front door is up.
 */
import { mkdir } from "node:fs/promises";
import { Miniflare } from "miniflare";
import { BodyDigestTable } from "../front-door/body-digests";
import { ConnectionTable } from "../front-door/connections";
import { startControl } from "../front-door/control";
import { startFrontDoor, type FrontDoor } from "../front-door/front-door";
import { Refusal } from "../front-door/refusal";
import { startAnomalySidecar, type AnomalySidecar } from "./anomaly-sidecar";
import type { StackConfig } from "./config";
import { startDestinationGuard } from "./destination-guard";
import { clearLeftovers, forgetRun, recordRun, recordSidecar } from "./leftovers";
import { logFilePath } from "./log-file";
import { bearer } from "../../shared/control/bearer";
import { controlPolicy } from "../../shared/control/guard";
import { blobDirectory, miniflareOptions } from "./miniflare-options";
import { guardWorkerd } from "./workerd-guard";
import { passV8FlagsToWorkerd } from "./workerd-v8-flags";
import { amendRunRecord } from "./run-record";
import { SERVICES } from "./services";
import { useStackTmp } from "./stack-tmp";
import { TelemetryTap } from "./telemetry-tap";

export interface Stack {
  /** the S3 endpoint (the front door) */
  endpoint: string;
  /** the gateway worker's own socket, behind the front door */
  gatewayUrl: string;
  /** every service's URL by name */
  services: Record<string, string>;
  /** the anomalies sidecar's URL (its API, /health and /metrics) */
  anomalies: string;
  close(): Promise<void>;
}

export async function startStack(config: StackConfig): Promise<Stack> {
  await mkdir(config.dataDir, { recursive: true });
  await clearLeftovers(config.dataDir);
  await useStackTmp(config.dataDir);
  const connections = new ConnectionTable();
  const refusal = new Refusal();
  const digests = new BodyDigestTable();
  const control = await startControl(connections, { refusal, digests, blobDir: blobDirectory(config) });
  const guard = await startDestinationGuard(config);
  const sidecarHost = loopbackOf(config.host);
  const anomaliesUrl = `http://${sidecarHost.includes(":") ? `[${sidecarHost}]` : sidecarHost}:${config.anomalyPort}`;
  // Set here, whatever the environment says: the URLs hold this start's secret and ports.
  const vars = {
    ...config.vars,
    MOCKS3_FRONT_DOOR_CONTROL: control.url,
    MOCKS3_ANOMALY_URL: anomaliesUrl,
    MOCKS3_INDEX_URL: `${anomaliesUrl}/index`,
    MOCKS3_DESTINATION_GUARD: guard.url,
  };
  let mf: Miniflare | undefined;
  let frontDoor: FrontDoor | undefined;
  let sidecar: AnomalySidecar | undefined;
  const tap = new TelemetryTap({
    file: logFilePath(config.dataDir),
    console: config.logStdout,
    send: (batch) => sidecar?.send(batch) ?? false,
    frontDoorConnections: () => connections.size,
  });
  async function stop() {
    // the sidecar first: ending an anomaly may need the services (service states)
    await sidecar?.close();
    await frontDoor?.close();
    await control.close();
    await guard.close();
    await mf?.dispose();
    await tap.close();
  }
  try {
    guardWorkerd();
    passV8FlagsToWorkerd();
    mf = new Miniflare({ ...(await miniflareOptions({ ...config, vars })), handleRuntimeStdio: tap.runtimeStdio });
    await mf.ready;
    await recordRun(config.dataDir);
    const gatewayUrl = (await mf.unsafeGetDirectURL("gateway")).toString().replace(/\/$/, "");
    frontDoor = await startFrontDoor({ host: config.host, port: config.basePort, target: gatewayUrl, connections, refusal, requestTimeoutMs: config.requestTimeoutMs, digests });
    await guard.settle();
    const services: Record<string, string> = {};
    for (const service of SERVICES) {
      if (service.portOffset === undefined) continue;
      services[service.name] = service.portOffset === 0 ? frontDoor.url : (await mf.unsafeGetDirectURL(service.name)).toString().replace(/\/$/, "");
    }
    const onStart = (pid: number) => void recordSidecar(config.dataDir, pid).catch(() => undefined);
    const loopback = loopbackUrls(services);
    // before the sidecar starts: its own entry in the record is written when it is up
    await amendRunRecord(config.dataDir, { endpoints: { services: loopback, anomalies: anomaliesUrl } });
    sidecar = await startAnomalySidecar({ config, url: anomaliesUrl, services: loopback, frontDoorControl: control.url, onStart, onLog: (line) => tap.lines([line], false) });
    await sweepObjectEvents(loopback["queue-service"]!);
    return {
      endpoint: frontDoor.url,
      gatewayUrl,
      services,
      anomalies: anomaliesUrl,
      async close() {
        await stop();
        await forgetRun(config.dataDir);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Tells queue-service to look at every bucket's outbox: events recorded before a stop, whose
 * queue messages lived in memory, are handled now. A failure is reported, not fatal: the
 * events wait for the bucket's next write.
 */
async function sweepObjectEvents(queueService: string): Promise<void> {
  const answer = await fetch(`${queueService}/api/v1/events/sweep`, { method: "POST", headers: bearer(controlPolicy(process.env).token) }).catch((error: unknown) => error);
  if (!(answer instanceof Response) || !answer.ok) console.error(`queue-service's sweep of the object events failed (${answer instanceof Response ? answer.status : String(answer)})`);
  else await answer.body?.cancel();
}

/** How this machine reaches a socket bound to `host`: an any-address is reached on loopback. */
function loopbackOf(host: string): string {
  return host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
}

/** The services' URLs with any-address hosts replaced by loopback (anomalies target loopback only). */
function loopbackUrls(services: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(services).map(([name, url]) => {
      const parsed = new URL(url);
      parsed.hostname = loopbackOf(parsed.hostname.replace(/^\[|\]$/g, ""));
      return [name, parsed.toString().replace(/\/$/, "")];
    }),
  );
}
