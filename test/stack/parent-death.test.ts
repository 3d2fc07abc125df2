/**
 * Nothing of a stack outlives its Node process, however that process dies: killed with
 * SIGKILL (nothing of it runs to stop anything), its workerd ends by the kernel's
 * parent-death signal (sidecars/stack/workerd-guard.ts) and its anomalies sidecar when its
 * IPC channel closes — without a later `npm run stop` or start to clear them. (Whether the
 * ports are free is not asked: in a parallel run another stack may take them at once.) A stack of its own: this test kills it.
 */
import { describe, expect, it } from "vitest";
import { readRunRecord } from "../../sidecars/stack/run-record";
import { isRunning } from "../helpers/proc";
import { startStackProcess } from "../helpers/stack-process";

describe("a stack's Node process killed with SIGKILL", () => {
  it("takes workerd and the anomalies sidecar with it, its sockets gone with them", { timeout: 120_000 }, async () => {
    const stack = await startStackProcess();
    let pids: number[] = [];
    try {
      await expect.poll(async () => (await readRunRecord(stack.dataDir))?.sidecarPid, { timeout: 30_000 }).toBeTypeOf("number");
      const record = (await readRunRecord(stack.dataDir))!;
      pids = [record.workerdPids, record.sidecarPid!].flat();
      expect(record.workerdPids.length).toBeGreaterThan(0);
      for (const pid of pids) expect(isRunning(pid)).toBe(true);

      process.kill(record.nodePid, "SIGKILL");
      for (const pid of [record.nodePid, ...pids]) await expect.poll(() => isRunning(pid), { timeout: 15_000, message: `pid ${pid}` }).toBe(false);
    } finally {
      for (const pid of pids) if (isRunning(pid)) process.kill(pid, "SIGKILL");
      await stack.stop();
    }
  });
});
