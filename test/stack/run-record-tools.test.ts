/**
 * The ops tools find a stack through the run record it keeps in its data directory
 * (sidecars/stack/run-record.ts), as a user who started `npm start` on another port and did
 * not repeat MOCKS3_PORT would: `npm run status` finds the ports and lists each fault rule by
 * name with its injections; `make down` (`npm run stop`) stops the stack as Ctrl-C would; a
 * stack killed with SIGKILL is cleared. Stacks of their own: these tests stop them.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRunRecord, runRecordPath, type RunRecord } from "../../sidecars/stack/run-record";
import { addRule } from "../helpers/faults";
import { isRunning } from "../helpers/proc";
import { npmRun, runCommand } from "../helpers/run-command";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

/** the tools see only the data directory, as a user in another terminal would */
const onlyDataDir = (stack: StackProcess) => ({ MOCKS3_DATA_DIR: stack.dataDir, MOCKS3_PORT: undefined, MOCKS3_HOST: undefined, MOCKS3_ANOMALY_PORT: undefined });

function processesOf(record: RunRecord): number[] {
  return [record.nodePid, ...record.workerdPids, ...(record.sidecarPid === undefined ? [] : [record.sidecarPid])];
}

async function recordOf(stack: StackProcess): Promise<RunRecord> {
  const record = await readRunRecord(stack.dataDir);
  if (!record) throw new Error(`no run record in ${stack.dataDir}`);
  return record;
}

describe("a running stack, found by its data directory", () => {
  let stack: StackProcess;

  beforeAll(async () => {
    stack = await startStackProcess();
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it("status › without MOCKS3_PORT, the ports come from the run record; every rule by name, with what it matched and injected", async () => {
    const mockError = stack.services["mock-error-service"];
    await addRule(
      {
        name: "GETs fail",
        service: "gateway",
        enabled: true,
        conditions: [
          { type: "bucket", value: "status-bucket" },
          { type: "operation", value: "GetObject" },
        ],
        action: { type: "http_error", http_code: 500 },
      },
      mockError,
    );
    await addRule({ name: "Idle delay", service: "metadata-service", enabled: false, conditions: [], action: { type: "delay", delay: "1s" } }, mockError);
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${stack.endpoint}/status-bucket/key-${i}`);
      await response.body?.cancel();
      expect(response.status).toBe(500);
    }
    const { code, stdout } = await npmRun("status", [], onlyDataDir(stack));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ports from\s+run record$/m);
    expect(stdout).toContain(`(stack process ${(await recordOf(stack)).nodePid})`);
    expect(stdout).toMatch(new RegExp(`^gateway\\s+${stack.endpoint}\\s+ok$`, "m"));
    expect(stdout).toMatch(new RegExp(`^mock-error-service\\s+${mockError}\\s+ok$`, "m"));
    expect(stdout).toMatch(new RegExp(`^anomalies sidecar\\s+${stack.anomalies}\\s+ok$`, "m"));
    expect(stdout).toMatch(/^fault rules\s+2 \(1 enabled\), 3 injections$/m);
    expect(stdout).toMatch(/^ {2}GETs fail\s+gateway http_error\s+3 injected of 3 matched$/m);
    expect(stdout).toMatch(/^ {2}Idle delay\s+metadata-service delay \(disabled\)\s+0 injected of 0 matched$/m);
  });

  it("health-check and test-api › find the same stack without MOCKS3_PORT", async () => {
    const [health, api] = await Promise.all([npmRun("health-check", [], onlyDataDir(stack)), npmRun("test-api", [], onlyDataDir(stack))]);
    expect(health.code).toBe(0);
    expect(health.stdout).toContain(stack.endpoint);
    expect(api.code).toBe(0);
    expect(api.stdout).toContain(`S3 round trip against ${stack.endpoint}: all steps passed`);
  });

  it("make down › stops the stack as Ctrl-C would: every process of it ends and its record is removed", async () => {
    const record = await recordOf(stack);
    const { code, stdout } = await runCommand("make", ["--no-print-directory", "down"], onlyDataDir(stack));
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^stopped MockS3 \\(pid ${record.nodePid}\\) in [\\d.]+ s$`, "m"));
    expect(existsSync(runRecordPath(stack.dataDir))).toBe(false);
    for (const pid of processesOf(record)) expect(isRunning(pid), `pid ${pid}`).toBe(false);
    const again = await npmRun("stop", [], onlyDataDir(stack));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^no MockS3 is recorded in .*: nothing to stop$/m);
  });
});

describe("a stack killed with SIGKILL", () => {
  it("stop › ends what the dead stack left running and removes its record", { timeout: 120_000 }, async () => {
    const stack = await startStackProcess();
    const record = await recordOf(stack);
    try {
      process.kill(record.nodePid, "SIGKILL");
      await expect.poll(() => isRunning(record.nodePid), { timeout: 10_000 }).toBe(false);
      const { code, stdout } = await npmRun("stop", [], onlyDataDir(stack));
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`^MockS3 \\(pid ${record.nodePid}\\) had already ended`, "m"));
      expect(existsSync(runRecordPath(stack.dataDir))).toBe(false);
      // the sidecar may still be on its way out (it ends when its parent's channel closes)
      for (const pid of processesOf(record)) await expect.poll(() => isRunning(pid), { timeout: 10_000, message: `pid ${pid}` }).toBe(false);
    } finally {
      for (const pid of processesOf(record)) if (isRunning(pid)) process.kill(pid, "SIGKILL");
      await stack.stop();
    }
  });
});
