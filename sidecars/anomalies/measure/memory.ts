/** Memory as the kernel reports it: the machine's (/proc/meminfo) and a process's resident set. */
import { readFileSync } from "node:fs";

export interface MachineMemory {
  totalBytes: number;
  /** MemAvailable: what could be allocated without swapping */
  availableBytes: number;
  /** total − available, the usual "used" */
  usedBytes: number;
  usedPercent: number;
}

function kibField(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}

export function machineMemory(meminfo = readFileSync("/proc/meminfo", "utf8")): MachineMemory {
  const totalBytes = kibField(meminfo, "MemTotal") ?? 0;
  const availableBytes = kibField(meminfo, "MemAvailable") ?? kibField(meminfo, "MemFree") ?? 0;
  const usedBytes = Math.max(0, totalBytes - availableBytes);
  return { totalBytes, availableBytes, usedBytes, usedPercent: totalBytes > 0 ? (100 * usedBytes) / totalBytes : 0 };
}

/** VmRSS of a process (this one by default), in bytes; undefined if it is gone. */
export function residentBytes(pid: number | "self" = "self"): number | undefined {
  try {
    return kibField(readFileSync(`/proc/${pid}/status`, "utf8"), "VmRSS");
  } catch {
    return undefined;
  }
}
