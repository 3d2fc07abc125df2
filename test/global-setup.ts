/** One stack for the whole suite; test files make their own buckets on it. */
import type { TestProject } from "vitest/node";
import { TEST_CREDENTIALS } from "./helpers/credentials";
import { startStackProcess, type StackProcess } from "./helpers/stack-process";

let stack: StackProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  project.provide("endpoint", stack.endpoint);
  project.provide("services", stack.services);
}

export async function teardown(): Promise<void> {
  await stack?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    endpoint: string;
    services: Record<string, string>;
  }
}
