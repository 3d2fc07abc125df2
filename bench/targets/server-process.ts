/**
 * Every server under test runs in a child process of its own (`node --import tsx host.ts`,
 * one Node process, no tsx wrapper): the generator's event loop and its process.cpuUsage()
 * then hold only the generator's work — an in-process front door or s3rver would share both
 * — and /proc shows each server's memory and CPU as one process tree.
 *
 * The host prints one JSON line on stdout when it is ready (see host-lifecycle.ts) and stops
 * when its stdin closes — when we close it, or because the generator died. Not on SIGTERM
 * first: Miniflare's exit hook answers SIGTERM with process.exit() before any other
 * listener runs, so the stack's own close() (front door, dispose, run record) would be
 * skipped. SIGTERM and then SIGKILL are the fallbacks for a host that hangs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { READY } from "./host-lifecycle";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const START_TIMEOUT_MS = 120_000;
const TERM_AFTER_MS = 5_000;
const KILL_AFTER_MS = 10_000;

export interface ServerProcess {
  /** e.g. "mocks3-stack" */
  name: string;
  pid: number;
  /** what the host announced: its URLs */
  urls: Record<string, string>;
  stop(): Promise<void>;
}

export async function startServerProcess(name: string, hostFile: string, env: Record<string, string>, nodeFlags: string[] = []): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", "tsx", path.join(import.meta.dirname, hostFile)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let log = "";
  child.stderr!.on("data", (data: Buffer) => (log = (log + data.toString()).slice(-4000)));
  try {
    const urls = await readyLine(child, () => log);
    // Keep draining both pipes: a host that logs into a full pipe would block.
    child.stdout!.resume();
    return { name, pid: child.pid!, urls, stop: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw new Error(`${name} did not start: ${(error as Error).message}\n${log}`);
  }
}

function readyLine(child: ChildProcess, log: () => string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`no ready line after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      lines.close();
    };
    lines.on("line", (line) => {
      if (!line.startsWith(READY)) return;
      done();
      resolve(JSON.parse(line.slice(READY.length)) as Record<string, string>);
    });
    child.once("exit", (code, signal) => {
      done();
      reject(new Error(`exited with ${code ?? signal}: ${log().slice(-500)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const term = setTimeout(() => child.kill("SIGTERM"), TERM_AFTER_MS);
    const kill = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    child.once("exit", () => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve();
    });
    child.stdin!.end();
  });
}
