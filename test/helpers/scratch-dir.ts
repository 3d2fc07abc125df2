/**
 * Scratch directories of a test run (stack data directories, sidecar state): all under one
 * parent per run, which the global setup makes and removes at the end (test/global-setup.ts),
 * so that no run leaves object files behind in the system's temporary directory. Outside a
 * run with that setup (the exclusive project), the parent is the temporary directory itself.
 */
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export const RUN_SCRATCH_VARIABLE = "MOCKS3_TEST_SCRATCH";

export function scratchDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(process.env[RUN_SCRATCH_VARIABLE] ?? os.tmpdir(), `${prefix}-`));
}
