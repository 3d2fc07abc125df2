/**
 * Nothing of a stack outlives its Node process, however that process dies: killed with
 * SIGKILL (nothing of it runs to stop anything), its workerd ends by the kernel's
 * parent-death signal (sidecars/stack/workerd-guard.ts) and its anomalies sidecar when its
 * IPC channel closes — without a later `npm run stop` or start to clear them — and the
 * ports are free again. A stack of its own: this test kills it.
 */
import net from "node:net";
import { describe, expect, it } from "vitest";
import { readRunRecord } from "../../sidecars/stack/run-record";
import { isRunning } from "../helpers/proc";
import { startStackProcess } from "../helpers/stack-process";

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("a stack's Node process killed with SIGKILL", () => {
  it("takes workerd and the anomalies sidecar with it, and frees every port", { timeout: 120_000 }, async () => {
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
      for (const port of [stack.port, stack.port + 1, stack.port + 5, stack.port + 10]) expect(await portFree(port), `port ${port}`).toBe(true);
    } finally {
      for (const pid of pids) if (isRunning(pid)) process.kill(pid, "SIGKILL");
      await stack.stop();
    }
  });
});
