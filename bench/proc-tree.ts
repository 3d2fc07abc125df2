/**
 * A server's process tree as Linux's /proc shows it: the Node process we started and its
 * descendants (Miniflare's workerd). Read directly rather than through `ps`, so sampling
 * every 100 ms costs the generator a few file reads, not a process spawn.
 *
 * CPU times come from /proc/<pid>/stat in clock ticks; USER_HZ is 100 on every Linux
 * architecture Node supports, and Node has no API to ask.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  /** one letter: R running, S sleeping, Z zombie… */
  state: string;
  ppid: number;
  /** its process group */
  pgrp: number;
  /** the executable's name, e.g. "node" or "workerd" */
  comm: string;
  /** user + system CPU, in seconds */
  cpuSeconds: number;
}

/** One process's stat line, or undefined if it has exited. */
export function readStat(pid: number): ProcStat | undefined {
  let line: string;
  try {
    line = readFileSync(`/proc/${pid}/stat`, "latin1");
  } catch {
    return undefined;
  }
  // comm is in parentheses and may itself contain spaces or parentheses: split after the last ")".
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  const fields = line.slice(close + 2).split(" ");
  // fields[0] is field 3 (state) of proc(5): ppid is field 4, pgrp 5, utime 14, stime 15.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { pid, state: fields[0]!, ppid: Number(fields[1]), pgrp: Number(fields[2]), comm: line.slice(open + 1, close), cpuSeconds: ticks / TICKS_PER_SECOND };
}

/** Every live process of process group `group`. */
export function processGroup(group: number): number[] {
  return livePids().filter((pid) => readStat(pid)?.pgrp === group);
}

function livePids(): number[] {
  return readdirSync("/proc").map(Number).filter(Number.isInteger);
}

/** `root` and every process descended from it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of livePids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = children.get(stat.ppid);
    if (siblings) siblings.push(pid);
    else children.set(stat.ppid, [pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident set size in bytes (VmRSS), or 0 if the process has exited. */
export function readRss(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return 0;
  }
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** CPU seconds of each executable in a tree, e.g. { node: 1.2, workerd: 3.4 }. */
export function cpuByExecutable(pids: number[]): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const pid of pids) {
    const stat = readStat(pid);
    if (stat) byName[stat.comm] = (byName[stat.comm] ?? 0) + stat.cpuSeconds;
  }
  return byName;
}

/** Resident bytes of each executable in a tree, e.g. { node: …, workerd: … }. */
export function rssByExecutable(pids: number[]): Record<string, number> {
  const byName: Record<string, number> = {};
  for (const pid of pids) {
    const name = readStat(pid)?.comm ?? "?";
    byName[name] = (byName[name] ?? 0) + readRss(pid);
  }
  return byName;
}

/** `after − before` per executable. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after)) delta[name] = seconds - (before[name] ?? 0);
  return delta;
}
