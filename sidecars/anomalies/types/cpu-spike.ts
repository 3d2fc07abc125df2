/**
 * cpu_spike: real CPU load, driven so that the machine's CPU usage (system_cpu_usage_percent,
 * /proc/stat) reaches target_value and holds it until the end. One busy thread per core at a
 * common duty cycle, adjusted every SAMPLE_MS (duty-controller.ts); the duty never exceeds
 * MOCKS3_ANOMALY_MAX_CPU_PERCENT. Every service of the stack shares these cores, so their
 * responses slow down as they would on a loaded host. At the end the threads are terminated.
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { AnomalyContext, AnomalyModule } from "../anomaly-module";
import { CpuSampler } from "../measure/cpu";
import { BusyThreads } from "./busy-threads";
import { initialDuty, nextDuty, SAMPLE_MS } from "./duty-controller";

export const cpuSpike: AnomalyModule = {
  async run(ctx: AnomalyContext): Promise<void> {
    const target = ctx.spec.target_value;
    const maxDuty = ctx.caps.maxCpuPercent / 100;
    const sampler = new CpuSampler();
    if (!(await pause(ctx.signal))) return;
    const baseline = sampler.sample();
    ctx.report(baseline);
    let duty = initialDuty(target, baseline, maxDuty);
    const threads = new BusyThreads(os.availableParallelism(), duty);
    try {
      while (await pause(ctx.signal)) {
        const usage = sampler.sample();
        ctx.report(usage);
        duty = nextDuty(duty, target, usage, maxDuty);
        threads.setDuty(duty);
      }
    } finally {
      await threads.stop();
    }
  },
};

/** Waits one sample period; false once the anomaly is told to stop. */
async function pause(signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(SAMPLE_MS, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
