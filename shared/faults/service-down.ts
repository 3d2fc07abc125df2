/**
 * A service down (service_down anomaly), as its worker lives it. Every request — `/health`
 * included, so that health checks see it — is answered 503 while the state holds in mode
 * `unavailable` (and `refuse`, for whatever reaches the gateway worker without the front
 * door), or held until the state ends in mode `hang`, then served as usual. A client that
 * gives up first just goes away. The gate ignores a state past its `until`, so the service
 * comes back by itself.
 */
import type { Context, MiddlewareHandler } from "hono";
import { S3Error, type Failure } from "../s3-errors";
import type { FaultService } from "./fault-services";
import { rulesSource, serviceGate } from "./service-gate";
import { ANOMALY_HEADER, type DownState } from "./service-states";
import { sleep } from "./sleep";

/**
 * A held request looks at the state again this often: the state may be cleared before its
 * end, and a signal aborted by the request that brings the change would not wake this one
 * (workerd delivers no I/O event across requests).
 */
const HANG_CHECK_MS = 100;

/** Holds while `service` hangs; the down state to answer, or undefined when it is up. */
export async function whileDown(service: FaultService): Promise<DownState | undefined> {
  for (;;) {
    const down = serviceGate.down(service);
    if (down?.mode !== "hang") return down;
    await sleep(Math.min(HANG_CHECK_MS, Date.parse(down.until) - Date.now()));
  }
}

export function downMessage(service: FaultService, down: DownState): string {
  return `${service} is down (service_down anomaly ${down.anomaly_id}) until ${down.until}.`;
}

/** What a service that is not the gateway answers while down: `/health` and everything else alike. */
export function downJson(c: Context, service: FaultService, down: DownState): Response {
  return c.json({ status: "down", service, mode: down.mode, until: down.until, anomaly_id: down.anomaly_id }, 503, { [ANOMALY_HEADER]: down.anomaly_id });
}

/** The same for the S3 side: ServiceUnavailable, which SDKs retry. */
export function downS3Error(service: FaultService, down: DownState): S3Error {
  return new S3Error("ServiceUnavailable", downMessage(service, down), {}, { [ANOMALY_HEADER]: down.anomaly_id });
}

/** The same as a value, for a service answering over RPC. */
export function downFailure(service: FaultService, down: DownState): Failure {
  return { error: "ServiceUnavailable", message: downMessage(service, down), headers: { [ANOMALY_HEADER]: down.anomaly_id } };
}

type DownAnswer = (c: Context, service: FaultService, down: DownState) => Response;

interface GateEnv {
  FAULT_RULES: Parameters<typeof rulesSource>[0]["FAULT_RULES"];
}

/** Middleware answering for a worker while its service is down; nothing else happens meanwhile. */
export function serviceDown<E extends GateEnv>(service: FaultService, answer: DownAnswer = downJson): MiddlewareHandler<{ Bindings: E }> {
  return async function serviceDown(c, next) {
    const loading = serviceGate.ready(rulesSource(c.env), (promise) => c.executionCtx.waitUntil(promise));
    if (loading) await loading;
    const down = await whileDown(service);
    if (down) return answer(c, service, down);
    await next();
  };
}
