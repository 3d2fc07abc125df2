/**
 * A stack killed with SIGKILL leaves its workerd child running (re-parented to init), still
 * holding the ports and the SQLite files; its anomalies sidecar ends by itself when its IPC
 * channel closes, but may still be releasing. The stack records its processes in the data
 * directory; the next start kills what an earlier, dead run left behind, and refuses to
 * share the data directory with a run that is still alive (run-record.ts). (What a killed
 * sidecar's anomalies left, the next sidecar cleans: sidecars/anomalies/leftovers.ts.)
 */
import { rmSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { amendRunRecord, readRunRecord, runRecordPath, writeRunRecord, type RunRecord } from "./run-record";

/** the sidecar's entry point, from source (tests) or compiled (`npm start`, see start.mjs) */
const SIDECAR_MAINS = ["sidecars/anomalies/main.ts", ".build/node/anomalies.mjs"];
/** the stack's: `npm start`'s bootstrap, or the stack run directly */
const STACK_MAINS = ["sidecars/stack/start.mjs", "sidecars/stack/main.ts", ".build/node/stack.mjs"];

async function processInfo(pid: number): Promise<{ comm: string; ppid: number } | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (fields[0] === "Z") return undefined; // a zombie holds nothing
    return { comm, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Kills the workerd of a previous run that died; throws if that run is still alive. */
export async function clearLeftovers(dataDir: string): Promise<void> {
  const record = await readRunRecord(dataDir);
  if (!record) return;
  if (record.nodePid !== process.pid && (await stackIsRunning(record))) {
    throw new Error(`another MockS3 (pid ${record.nodePid}) is using ${dataDir}; stop it first`);
  }
  for (const pid of record.workerdPids) {
    const info = await processInfo(pid);
    if (info?.comm === "workerd") process.kill(pid, "SIGKILL");
  }
  if (record.sidecarPid !== undefined && (await isSidecar(record.sidecarPid))) await killAndWait(record.sidecarPid);
  await rm(runRecordPath(dataDir), { force: true });
}

/** Whether the run that wrote the record is still running (the ops tools ask too: status, stop). */
export async function stackIsRunning(record: RunRecord): Promise<boolean> {
  return isAlive(record.nodePid) && (await runs(record.nodePid, STACK_MAINS));
}

/** A live process running the anomalies sidecar. */
async function isSidecar(pid: number): Promise<boolean> {
  return runs(pid, SIDECAR_MAINS);
}

/** A live process (not a zombie) running one of these scripts: pids are reused, so check what it runs. */
async function runs(pid: number, mains: string[]): Promise<boolean> {
  if (!(await processInfo(pid))) return false;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  return commandLine.split("\0").some((arg) => mains.some((main) => arg.endsWith(main)));
}

/** SIGKILL, then wait (up to 5 s) until it is gone, so that its port is free. */
async function killAndWait(pid: number): Promise<void> {
  process.kill(pid, "SIGKILL");
  for (let waited = 0; waited < 5000 && (await processInfo(pid)); waited += 50) await new Promise((r) => setTimeout(r, 50));
}

/** Records this run's processes: this Node process and its workerd children. */
export async function recordRun(dataDir: string): Promise<void> {
  const workerdPids: number[] = [];
  for (const entry of await readdir("/proc").catch(() => [] as string[])) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const info = await processInfo(pid);
    if (info?.comm === "workerd" && info.ppid === process.pid) workerdPids.push(pid);
  }
  await writeRunRecord(dataDir, { nodePid: process.pid, workerdPids });
  // Miniflare's own signal hook ends the process before asynchronous cleanup could run;
  // 'exit' listeners still run, synchronously.
  process.once("exit", () => rmSync(runRecordPath(dataDir), { force: true }));
}

/** Adds the (new) anomalies sidecar to this run's record. */
export async function recordSidecar(dataDir: string, pid: number): Promise<void> {
  await amendRunRecord(dataDir, { sidecarPid: pid });
}

export async function forgetRun(dataDir: string): Promise<void> {
  await rm(runRecordPath(dataDir), { force: true });
}
