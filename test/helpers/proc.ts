/**
 * What the kernel says, read by the tests themselves (not through the code under test): the
 * machine's CPU time (/proc/stat), a process's CPU time and resident memory (/proc/<pid>).
 */
import { readFileSync } from "node:fs";

/** Clock ticks per second of /proc counters (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100;

export interface MachineCpu {
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - fields[3]! - fields[4]!, total };
}

/** Percent of all cores busy between two readings. */
export function busyPercent(before: MachineCpu, after: MachineCpu): number {
  return (100 * (after.busy - before.busy)) / Math.max(1, after.total - before.total);
}

/** CPU seconds (user + system) a process has used. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match![1]) * 1024;
}

export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}
