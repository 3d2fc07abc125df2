/**
 * The seed's convenience commands as npm scripts, run as a user would against a running
 * MockS3 (the suite's stack, found through MOCKS3_PORT as `npm start` sets it).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const run = promisify(execFile);

function script(name: string, port = new URL(inject("endpoint")).port, args: string[] = []) {
  return run("npm", ["run", "--silent", name, "--", ...args], { env: { ...process.env, MOCKS3_PORT: port, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" }, timeout: 60_000 });
}

describe("npm scripts for a running MockS3", () => {
  it("health-check › one line per service and the sidecar, all healthy, exit 0", async () => {
    const { stdout } = await script("health-check");
    const lines = stdout.trim().split("\n");
    expect(lines).toHaveLength(7);
    for (const name of ["gateway", "metadata-service", "storage-service", "queue-service", "third-party-service", "mock-error-service", "anomalies sidecar"]) {
      expect(lines.find((line) => line.includes(name))).toMatch(/^✔ .* 200 /);
    }
  });

  it("health-check › exits 1 and says so when nothing answers", async () => {
    const failed = await script("health-check", "1").then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/^✘ gateway/m);
  });

  it("test-api › a signed S3 round trip, every step passing", async () => {
    const { stdout } = await script("test-api");
    expect(stdout).toContain("all steps passed");
    expect(stdout.match(/^✔/gm)).toHaveLength(7);
  });

  it("status › the services, storage nodes, rules and anomalies", async () => {
    const { stdout } = await script("status");
    expect(stdout).toMatch(/^gateway\s+http:\/\/\S+\s+ok$/m);
    expect(stdout).toMatch(/^storage nodes\s+node-0 up/m);
    expect(stdout).toMatch(/^ports from\s+MOCKS3_PORT$/m);
    expect(stdout).toMatch(/^fault rules\s+\d+ \(\d+ enabled\), \d+ injections$/m);
    expect(stdout).toMatch(/^anomalies\s+\d+ running of \d+$/m);
  });

  it("load-test › a bounded GET/PUT load with its figures; refuses what is out of bounds", async () => {
    const { stdout } = await script("load-test", undefined, ["--seconds", "1", "--concurrency", "4"]);
    expect(stdout).toMatch(/^\d+ requests\/s, 0 errors$/m);
    expect(stdout).toMatch(/^latency p50 [\d.]+ ms, p99 [\d.]+ ms/m);
    const refused = await script("load-test", undefined, ["--seconds", "500"]).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain("--seconds must be an integer from 1 to 120");
  });
});
