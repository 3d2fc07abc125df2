/**
 * One stack for the whole suite; test files make their own buckets on it. At the end, the
 * run must leave nothing behind: every process a test started has ended and every scratch
 * folder is gone — what survives is ended and removed, and fails the run by name.
 *
 * Everything of the run is under one folder: test scratch directories (helpers/scratch-dir.ts)
 * and, through TMPDIR, whatever the processes it starts put in "the" temporary directory —
 * so that a run never touches another run's files, and what its own processes leave in
 * their temporary directory is found and named.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_CREDENTIALS } from "./helpers/credentials";
import { processesMarked, type Leftover } from "./helpers/run-leftovers";
import { RUN_SCRATCH_VARIABLE } from "./helpers/scratch-dir";
import { startStackProcess, type StackProcess } from "./helpers/stack-process";

/** how long processes may take to finish ending once the suite's stack is stopped */
const SETTLE_MS = 15_000;
/**
 * What tools keep in the temporary directory by design, not a leak: tsx's cache and IPC
 * folder (`tsx-<uid>`), made by every `npm run <tool>` a test runs and by `node --import tsx`.
 */
const TOOL_CACHES = /^tsx-\d+$/;

let stack: StackProcess | undefined;
let scratch: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // every test file's scratch directories go under this one (helpers/scratch-dir.ts); the
  // forked test processes — and whatever they start — inherit the variable, which also marks
  // the processes of this run
  const run = mkdtempSync(path.join(os.tmpdir(), "mocks3-run-"));
  scratch = run;
  process.env[RUN_SCRATCH_VARIABLE] = run;
  mkdirSync(runTmp(run));
  process.env.TMPDIR = runTmp(run);
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  project.provide("endpoint", stack.endpoint);
  project.provide("services", stack.services);
  project.provide("dataDir", stack.dataDir);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  const survivors = scratch ? await settled(() => processesMarked(RUN_SCRATCH_VARIABLE, scratch!)) : [];
  for (const { pid } of survivors) killQuietly(pid);
  const strays = scratch
    ? readdirSync(runTmp(scratch))
        .filter((name) => !TOOL_CACHES.test(name))
        .map((name) => path.join(runTmp(scratch!), name))
    : [];
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  const problems = [...survivors.map(({ pid, command }) => `process ${pid} still running: ${command.slice(0, 200)}`), ...strays.map((file) => `${file} left in the temporary directory`)];
  if (problems.length === 0) return;
  // vitest reports an error thrown here but does not fail the run for it
  process.exitCode = 1;
  throw new Error(`the test run left things behind (now ended and removed):\n  ${problems.join("\n  ")}`);
}

/** The marked processes once none has ended for a while, or at SETTLE_MS. */
async function settled(list: () => Leftover[]): Promise<Leftover[]> {
  const deadline = Date.now() + SETTLE_MS;
  let now = list();
  while (now.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    now = list();
  }
  return now;
}

/** The run's temporary directory (TMPDIR of everything it starts). */
function runTmp(scratch: string): string {
  return path.join(scratch, "tmp");
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
    services: Record<string, string>;
    /** the stack's data directory, for tests that look at what is stored on disk */
    dataDir: string;
  }
}
