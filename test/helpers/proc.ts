/**
 * What the kernel says, read by the tests themselves (not through the code under test): the
 * machine's CPU time (/proc/stat), a process's CPU time, resident memory and children
 * (/proc/<pid>, read by the benchmark's bench/proc-tree.ts, which the tests share).
 */
import { readFileSync } from "node:fs";
import { readRss, readStat } from "../../bench/proc-tree";

export { processTree } from "../../bench/proc-tree";

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

/** CPU seconds (user + system) a process has used; throws if it is gone. */
export function processCpuSeconds(pid: number): number {
  const stat = readStat(pid);
  if (!stat) throw new Error(`process ${pid} is gone`);
  return stat.cpuSeconds;
}

/** Resident memory in bytes; 0 once the process is gone. */
export const residentBytes = readRss;

export function isRunning(pid: number): boolean {
  const state = readStat(pid)?.state;
  return state !== undefined && state !== "Z";
}
