/** One stack for the whole suite; test files make their own buckets on it. */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { TEST_CREDENTIALS } from "./helpers/credentials";
import { RUN_SCRATCH_VARIABLE } from "./helpers/scratch-dir";
import { startStackProcess, type StackProcess } from "./helpers/stack-process";

let stack: StackProcess | undefined;
let scratch: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  // every test file's scratch directories go under this one (helpers/scratch-dir.ts); the
  // forked test processes inherit the variable
  scratch = mkdtempSync(path.join(os.tmpdir(), "mocks3-run-"));
  process.env[RUN_SCRATCH_VARIABLE] = scratch;
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  project.provide("endpoint", stack.endpoint);
  project.provide("services", stack.services);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
    services: Record<string, string>;
  }
}
