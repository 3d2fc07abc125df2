/**
 * memory_leak: memory that really grows, stays resident and is given back at the end.
 *
 * - `memory_usage_bytes`: the anomaly holds target_value bytes.
 * - `system_memory_usage_percent`: the anomaly grows until the machine's used memory
 *   (MemTotal − MemAvailable, /proc/meminfo) reaches target_value percent.
 *
 * It grows by a step every GROW_EVERY_MS (about 5 % of the goal, at least 16 MiB), like a
 * leak, so a 200 MiB target is reached in about 2.5 s; then it holds. A leak never shrinks.
 * It never holds more than MOCKS3_ANOMALY_MAX_MEMORY_BYTES, and never grows while the
 * machine's available memory is below a tenth of its total.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { AnomalyContext, AnomalyModule } from "../anomaly-module";
import { machineMemory } from "../measure/memory";
import { MemoryHolder } from "./memory-holder";

const GROW_EVERY_MS = 250;
const MIN_STEP_BYTES = 16 * 1024 * 1024;

export const memoryLeak: AnomalyModule = {
  async run(ctx: AnomalyContext): Promise<void> {
    const holder = new MemoryHolder();
    const noted = new Set<string>();
    const note = (message: string) => {
      if (!noted.has(message)) ctx.note(message);
      noted.add(message);
    };
    try {
      while (!ctx.signal.aborted) {
        const goal = goalBytes(ctx, holder.heldBytes, note);
        if (goal > holder.heldBytes) {
          const step = Math.max(MIN_STEP_BYTES, Math.ceil(goal / 20));
          await holder.growTo(Math.min(goal, holder.heldBytes + step));
        }
        ctx.hold("memory_bytes", holder.heldBytes);
        ctx.report(ctx.spec.metric_name === "memory_usage_bytes" ? holder.heldBytes : machineMemory().usedPercent);
        await sleep(GROW_EVERY_MS, undefined, { signal: ctx.signal }).catch(() => undefined);
      }
    } finally {
      await holder.release();
      ctx.hold("memory_bytes", 0);
    }
  },
};

/** How many bytes the anomaly should hold now, within the caps. */
function goalBytes(ctx: AnomalyContext, held: number, note: (message: string) => void): number {
  const machine = machineMemory();
  let goal = ctx.spec.target_value;
  if (ctx.spec.metric_name === "system_memory_usage_percent") {
    goal = held + Math.max(0, (ctx.spec.target_value / 100) * machine.totalBytes - machine.usedBytes);
  }
  if (goal > ctx.caps.maxMemoryBytes) {
    note(`held memory stops at the cap of ${ctx.caps.maxMemoryBytes} bytes (MOCKS3_ANOMALY_MAX_MEMORY_BYTES)`);
    goal = ctx.caps.maxMemoryBytes;
  }
  if (goal > held && machine.availableBytes < machine.totalBytes / 10) {
    note("stopped growing: less than a tenth of the machine's memory is available");
    return held;
  }
  return Math.floor(goal);
}
