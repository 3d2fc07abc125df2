/**
 * service_down: the target service stops answering for the anomaly's duration, then comes
 * back by itself. Its metric, service_up, is measured: 1 when the service's /health answers
 * 2xx within a second, 0 otherwise.
 *
 * - `unavailable` (default): every request, /health included, gets 503 — S3's
 *   ServiceUnavailable from the gateway, `{"status":"down",…}` from the others. A
 *   storage-service down fails S3 GET and PUT of objects kept on the storage nodes (those over
 *   MOCKS3_INLINE_MAX_BYTES); a metadata-service down fails every S3 request.
 * - `hang`: every request is held until the service is back, then served.
 * - `refuse` (gateway only; the schema refuses it elsewhere, workerd's sockets cannot refuse):
 *   the front door stops listening and closes its open connections, through its control
 *   channel, whose URL this process gets as MOCKS3_FRONT_DOOR_CONTROL.
 *
 * The state is set on mock-error-service with the anomaly's end as `until`, and the front
 * door's refusal carries the same end: both lift by themselves if this process dies.
 * mock-error-service is never taken down (it is not a fault service).
 */
import { setTimeout as sleep } from "node:timers/promises";
import { REFUSE_PATH } from "../../../shared/front-door-protocol";
import { FAULT_SERVICES, type FaultService } from "../../../shared/faults/fault-services";
import { downRefusal } from "../../../shared/faults/service-states";
import type { AnomalyContext, AnomalyModule } from "../anomaly-module";
import { anomalyEnd, clearDown, setDown } from "../service-states";

const PROBE_EVERY_MS = 1_000;
const PROBE_TIMEOUT_MS = 1_000;

export const serviceDown: AnomalyModule = {
  async run(ctx) {
    const service = ctx.spec.service as FaultService;
    const mode = ctx.spec.mode ?? "unavailable";
    const refusal = downRefusal(service, mode);
    if (refusal) throw new Error(refusal);
    const control = mode === "refuse" ? frontDoorControl() : undefined;
    const until = anomalyEnd(ctx);
    try {
      await setDown(ctx.mockErrorUrl, service, { mode, until, anomalyId: ctx.id });
      if (control) await frontDoor(control, "PUT", `?until=${encodeURIComponent(until.toISOString())}`);
      while (!ctx.signal.aborted) {
        ctx.report(await probe(ctx, service));
        await sleep(PROBE_EVERY_MS, undefined, { signal: ctx.signal }).catch(() => undefined);
      }
    } finally {
      // should either fail, the state and the refusal still end at `until`
      const undone = await Promise.allSettled([clearDown(ctx.mockErrorUrl, service, ctx.id), control ? frontDoor(control, "DELETE") : undefined]);
      for (const result of undone) {
        if (result.status === "rejected") console.error(JSON.stringify({ level: "error", msg: "service_down could not end early", anomaly: ctx.id, error: String(result.reason) }));
      }
      ctx.report(await probe(ctx, service));
    }
  },

  /** Every service up, and the front door listening: a killed sidecar's down states end now. */
  /**
   * Best effort: with no mock-error-service or front door to reach (a sidecar started alone)
   * there is nothing to clear, and a state a dead sidecar left still ends at its `until`.
   */
  async cleanLeftovers(_dataDir, mockErrorUrl) {
    const control = process.env.MOCKS3_FRONT_DOOR_CONTROL;
    const clears = [...FAULT_SERVICES.map((service) => clearDown(mockErrorUrl, service)), control ? frontDoor(control, "DELETE") : undefined];
    const failed = (await Promise.allSettled(clears)).filter((result) => result.status === "rejected");
    if (failed.length > 0) console.error(JSON.stringify({ level: "warn", msg: "service_down leftovers: states not cleared, they end at their until", error: String(failed[0]!.reason) }));
  },
};

function frontDoorControl(): string {
  const url = process.env.MOCKS3_FRONT_DOOR_CONTROL;
  if (!url) throw new Error("mode refuse needs the front door's control URL in MOCKS3_FRONT_DOOR_CONTROL (set by npm start)");
  return url;
}

async function frontDoor(control: string, method: "PUT" | "DELETE", query = ""): Promise<void> {
  const response = await fetch(`${control}${REFUSE_PATH}${query}`, { method, headers: { connection: "close" }, signal: AbortSignal.timeout(5_000) });
  await response.body?.cancel();
  if (response.status !== 204) throw new Error(`the front door's control channel answered ${response.status} to ${method} ${REFUSE_PATH}`);
}

/** 1 when the service's /health answers 2xx within a second, else 0 (on a connection of its own, never a stale one). */
async function probe(ctx: AnomalyContext, service: FaultService): Promise<number> {
  const base = ctx.services[service];
  if (!base) return 0;
  try {
    const response = await fetch(`${base}/health`, { headers: { connection: "close" }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await response.body?.cancel();
    return response.ok ? 1 : 0;
  } catch {
    return 0;
  }
}
