/**
 * The machine's CPU usage as `system_cpu_usage_percent` means it: the share of all cores'
 * time, since the previous sample, that was not idle (idle and iowait count as idle), read
 * from the aggregate `cpu` line of /proc/stat. Linux counts in clock ticks (usually 100 per
 * second per core), so a sample over less than ~250 ms is coarse.
 */
import { readFileSync } from "node:fs";

interface CpuTimes {
  idle: number;
  total: number;
}

export function readCpuTimes(stat = readFileSync("/proc/stat", "utf8")): CpuTimes {
  const line = stat.slice(0, stat.indexOf("\n"));
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice; guest time is in user already
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  return { idle: (fields[3] ?? 0) + (fields[4] ?? 0), total };
}

/** Usage between two readings, in percent of all cores (0–100); undefined if no tick passed. */
export function usageBetween(before: CpuTimes, after: CpuTimes): number | undefined {
  const total = after.total - before.total;
  if (total <= 0) return undefined;
  return Math.min(100, Math.max(0, 100 * (1 - (after.idle - before.idle) / total)));
}

/** Each call answers the usage since the previous one. */
export class CpuSampler {
  #last = readCpuTimes();
  #latest = 0;

  sample(): number {
    const now = readCpuTimes();
    const usage = usageBetween(this.#last, now);
    if (usage !== undefined) {
      this.#last = now;
      this.#latest = usage;
    }
    return this.#latest;
  }
}
