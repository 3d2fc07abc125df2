/** `npm start` refuses a bad setting at once, with the reason, instead of failing requests later. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { START_ARGS, START_ENV } from "../helpers/stack-process";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");

async function start(env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  try {
    await run(process.execPath, START_ARGS, { cwd: ROOT, env: { ...process.env, ...START_ENV, MOCKS3_DATA_DIR: "/nonexistent/never-used", ...env }, timeout: 15_000 });
    return { code: 0, stderr: "" };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe("configuration", () => {
  it.each([
    ["MOCKS3_AUTH", "sloppy", "MOCKS3_AUTH must be relaxed, strict or off"],
    ["MOCKS3_CREDENTIALS", '[{"accessKeyId":"a"}]', "needs a non-empty accessKeyId and secretAccessKey"],
    ["MOCKS3_CREDENTIALS", "not json", "MOCKS3_CREDENTIALS is not valid JSON"],
    ["MOCKS3_INLINE_MAX_BYTES", "-5", "MOCKS3_INLINE_MAX_BYTES must be a byte count"],
    ["MOCKS3_STORAGE_NODES", "zero", "MOCKS3_STORAGE_NODES must be a whole number"],
    ["MOCKS3_STORAGE_REPLICAS", "0", "MOCKS3_STORAGE_REPLICAS must be a whole number from 1 to 64"],
    ["MOCKS3_STORAGE_REPLICAS", "4", "MOCKS3_STORAGE_REPLICAS (4) cannot exceed MOCKS3_STORAGE_NODES (3)"],
    ["MOCKS3_STORAGE_NODE_CAPACITY_BYTES", "10GB", "MOCKS3_STORAGE_NODE_CAPACITY_BYTES must be a whole number"],
    ["MOCKS3_PORT", "http", "MOCKS3_PORT must be a port number"],
    ["MOCKS3_ANOMALY_MAX_CPU_PERCENT", "150", "MOCKS3_ANOMALY_MAX_CPU_PERCENT must be an integer from 1 to 100"],
  ])("stack › refuses %s=%s with its reason", async (name, value, reason) => {
    const { code, stderr } = await start({ [name]: value });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^MockS3 cannot start: /);
    expect(stderr).toContain(reason);
  });
});
