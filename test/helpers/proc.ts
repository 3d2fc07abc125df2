/**
 * What the kernel says, read by the tests themselves (not through the code under test): the
 * machine's CPU time (/proc/stat), a process's CPU time, resident memory and children (/proc/<pid>).
 */
import { readdirSync, readFileSync } from "node:fs";

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

/**
 * A process's /proc/<pid>/stat fields after its name (the name may hold spaces and
 * parentheses): [0] is field 3 of proc(5), the state; [1] the parent's pid; [11], [12] its
 * user and system CPU ticks. Throws if the process is gone.
 */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU seconds (user + system) a process has used. */
export function processCpuSeconds(pid: number): number {
  const fields = statFields(pid);
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

export function residentBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match![1]) * 1024;
}

export function isRunning(pid: number): boolean {
  try {
    return statFields(pid)[0] !== "Z";
  } catch {
    return false;
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let ppid: number;
    try {
      ppid = Number(statFields(pid)[1]);
    } catch {
      continue; // exited meanwhile
    }
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tree: number[] = [];
  for (const queue = [root]; queue.length > 0; ) {
    const pid = queue.pop()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}
