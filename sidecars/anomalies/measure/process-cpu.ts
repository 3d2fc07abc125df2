/**
 * A process's CPU time and its children, from /proc/<pid>/stat. Linux reports user and
 * system time in clock ticks of USER_HZ, 100 per second on every architecture Node runs on.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

interface ProcStat {
  comm: string;
  ppid: number;
  /** user + system time, seconds */
  cpuSeconds: number;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    // after the command: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    const fields = stat.slice(close + 2).split(" ");
    return { comm: stat.slice(stat.indexOf("(") + 1, close), ppid: Number(fields[1]), cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/** The first child of `parent` whose command is `comm`. */
export function childNamed(parent: number, comm: string): number | undefined {
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = procStat(pid);
    if (stat?.ppid === parent && stat.comm === comm) return pid;
  }
  return undefined;
}

/** Each call answers the process's CPU use since the previous call, in percent of one core. */
export class ProcessCpuSampler {
  #lastSeconds: number;
  #lastAt = performance.now();

  constructor(readonly pid: number) {
    this.#lastSeconds = procStat(pid)?.cpuSeconds ?? 0;
  }

  sample(): number | undefined {
    const seconds = procStat(this.pid)?.cpuSeconds;
    if (seconds === undefined) return undefined;
    const now = performance.now();
    const percent = (100 * (seconds - this.#lastSeconds)) / ((now - this.#lastAt) / 1000);
    this.#lastSeconds = seconds;
    this.#lastAt = now;
    return Math.max(0, percent);
  }
}
