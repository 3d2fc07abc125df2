/**
 * disk_full: real ballast (ballast.ts) on the filesystem of the data directory, written until
 * the metric reaches its target — `disk_usage_percent`: the filesystem's use as `df` shows it;
 * `disk_usage_bytes`: the ballast's own size — and never past the caps: at most
 * maxDiskBytes of ballast, and never less than minFreeDiskBytes left free. A target the caps
 * stop short of is held where they stopped it.
 *
 * Then the disk_full state is set on mock-error-service until the anomaly's end: writes of
 * object bytes fail with 503 ServiceUnavailable, at the gateway and at storage-service
 * (shared/faults/disk-full.ts says why that code). At the end the state is cleared and the
 * ballast deleted; a sidecar killed on the way leaves both to cleanLeftovers (and the state
 * ends by itself at its `until` meanwhile).
 */
import { rm } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnomalyContext, AnomalyModule } from "../anomaly-module";
import { Ballast, ballastRoot, bytesToPercent, CHUNK_BYTES, diskUsage } from "../ballast";
import { anomalyEnd, clearDiskFull, setDiskFull } from "../service-states";

const MEASURE_EVERY_MS = 1_000;

export const diskFull: AnomalyModule = {
  async run(ctx) {
    const ballast = await Ballast.create(ctx.dataDir, ctx.id);
    try {
      await fill(ctx, ballast);
      if (!ctx.signal.aborted) await setDiskFull(ctx.mockErrorUrl, { until: anomalyEnd(ctx), anomalyId: ctx.id });
      while (!ctx.signal.aborted) {
        ctx.report(await measure(ctx, ballast));
        await sleep(MEASURE_EVERY_MS, undefined, { signal: ctx.signal }).catch(() => undefined);
      }
    } finally {
      // should the clear fail, the state still ends at its `until`
      await clearDiskFull(ctx.mockErrorUrl, ctx.id).catch((error) =>
        console.error(JSON.stringify({ level: "error", msg: "disk_full could not clear its state", anomaly: ctx.id, error: String(error) })),
      );
      await ballast.remove();
      ctx.hold("ballast_bytes", 0);
      ctx.report(await measure(ctx));
    }
  },

  /** A killed sidecar's ballast deleted, and its disk_full state cleared. */
  async cleanLeftovers(dataDir, mockErrorUrl) {
    await rm(ballastRoot(dataDir), { recursive: true, force: true });
    // best effort, as for service_down: a state a dead sidecar left ends at its `until`
    await clearDiskFull(mockErrorUrl).catch((error) => console.error(JSON.stringify({ level: "warn", msg: "disk_full leftovers: state not cleared, it ends at its until", error: String(error) })));
  },
};

/** Writes ballast, a chunk at a time, until the target, a cap, or the end. */
async function fill(ctx: AnomalyContext, ballast: Ballast): Promise<void> {
  const { caps, spec } = ctx;
  while (!ctx.signal.aborted) {
    const usage = await diskUsage(ctx.dataDir);
    const wanted = spec.metric_name === "disk_usage_bytes" ? spec.target_value - ballast.written : bytesToPercent(usage, spec.target_value);
    const allowed = Math.min(caps.maxDiskBytes - ballast.written, usage.availableBytes - caps.minFreeDiskBytes);
    const bytes = Math.min(CHUNK_BYTES, Math.ceil(wanted), allowed);
    if (bytes <= 0) return;
    await ballast.add(bytes);
    ctx.hold("ballast_bytes", ballast.written);
    ctx.report(await measure(ctx, ballast));
  }
}

/** The metric now: the ballast's bytes on the disk (none once removed), or the filesystem's use. */
async function measure(ctx: AnomalyContext, ballast?: Ballast): Promise<number> {
  if (ctx.spec.metric_name === "disk_usage_bytes") return ballast ? ballast.onDisk() : 0;
  return (await diskUsage(ctx.dataDir)).percent;
}
