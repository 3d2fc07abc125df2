/**
 * The TCP sockets processes listen on, as Linux's /proc shows them: each process's socket
 * inodes (/proc/<pid>/fd) matched with the listening entries of /proc/net/tcp and tcp6. The
 * destination guard learns the stack's own ports from it; the tests check where they bind.
 * Empty where there is no /proc.
 */
import { readFile, readdir, readlink } from "node:fs/promises";

export interface ListeningSocket {
  pid: number;
  /** IPv4 dotted, IPv6 as eight groups (`0:0:0:0:0:0:0:0` for `::`) */
  address: string;
  port: number;
}

const LISTEN = "0A";

export async function listeningSockets(pids: number[]): Promise<ListeningSocket[]> {
  const listening = new Map<string, { address: string; port: number }>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(table, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== LISTEN || fields[9] === undefined) continue;
      const [hexAddress, hexPort] = fields[1]!.split(":") as [string, string];
      listening.set(fields[9], { address: kernelAddress(hexAddress), port: Number.parseInt(hexPort, 16) });
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const pid of pids) {
    for (const inode of await socketInodes(pid)) {
      const socket = listening.get(inode);
      if (socket) sockets.push({ pid, ...socket });
    }
  }
  return sockets;
}

/** The processes whose parent is `parent` (workerd and the anomalies sidecar, for the stack). */
export async function childProcesses(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // the fields after the command name (in parentheses, which may hold anything): state, ppid, …
    if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent) children.push(Number(entry));
  }
  return children;
}

async function socketInodes(pid: number): Promise<string[]> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const links = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => "")));
  return links.flatMap((link) => /^socket:\[(\d+)\]$/.exec(link)?.[1] ?? []);
}

/** The kernel writes an address as 32-bit words in host byte order (little-endian on x86 and Arm). */
function kernelAddress(hex: string): string {
  const bytes = (hex.match(/.{8}/g) ?? []).flatMap((word) => [6, 4, 2, 0].map((at) => Number.parseInt(word.slice(at, at + 2), 16)));
  if (bytes.length === 4) return bytes.join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(":");
}
