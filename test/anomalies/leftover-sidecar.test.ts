/**
 * A stack that died leaves its record in the data directory; the next start kills what the
 * record names and is still alive — the anomalies sidecar included (it normally ends by
 * itself when the stack's IPC channel closes; this covers one that did not).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { clearLeftovers } from "../../sidecars/stack/leftovers";
import { startSidecarProcess } from "../helpers/anomaly-sidecar";
import { isRunning } from "../helpers/proc";
import { scratchDir } from "../helpers/scratch-dir";

describe("stack leftovers", () => {
  it("clearLeftovers › kills the anomalies sidecar of a dead run, and nothing that only reuses its pid", { timeout: 30_000 }, async () => {
    const dataDir = await scratchDir("mocks3-leftovers");
    const deadPid = spawnSync("true").pid!;
    const sidecar = await startSidecarProcess({ dataDir });
    try {
      const record = path.join(dataDir, "stack.json");
      // a pid that now belongs to something else (this test's own process) is left alone
      await writeFile(record, JSON.stringify({ nodePid: deadPid, workerdPids: [], sidecarPid: process.pid }));
      await clearLeftovers(dataDir);
      expect(existsSync(record)).toBe(false);

      await writeFile(record, JSON.stringify({ nodePid: deadPid, workerdPids: [], sidecarPid: sidecar.pid }));
      await clearLeftovers(dataDir);
      expect(isRunning(sidecar.pid)).toBe(false);
      expect(existsSync(record)).toBe(false);
    } finally {
      await sidecar.kill();
    }
  });

  it("clearLeftovers › kills a dead run's compiled sidecar too (the one npm start runs)", { timeout: 30_000 }, async () => {
    const dataDir = await scratchDir("mocks3-leftovers");
    const sidecar = await startSidecarProcess({ dataDir, compiled: true });
    try {
      await writeFile(path.join(dataDir, "stack.json"), JSON.stringify({ nodePid: spawnSync("true").pid!, workerdPids: [], sidecarPid: sidecar.pid }));
      await clearLeftovers(dataDir);
      expect(isRunning(sidecar.pid)).toBe(false);
    } finally {
      await sidecar.kill();
    }
  });
});
