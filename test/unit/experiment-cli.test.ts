/**
 * `npm run experiment` (scripts/experiment.ts) as a child process against a fake experiments
 * API (helpers/fake-experiments-api.ts): the exit code is the verdict (0 passed, 1 failed or
 * aborted, 2 refused), progress is printed as the phases go by, the report is written when
 * asked, and Ctrl-C aborts the experiment. Each run has a time limit and is killed after
 * its test if it is still alive.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentResult } from "../../shared/experiments/result";
import { experimentResult } from "../helpers/experiment-result";
import { type FakeExperimentsApi, type FakeScript, fakeExperimentsApi } from "../helpers/fake-experiments-api";
import { scratchDir } from "../helpers/scratch-dir";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCUMENT = "name: node down\nsteps:\n  - at: 0s\n    duration: 20s\n    node: { name: node-2 }\n";

let dir: string;
let api: FakeExperimentsApi | undefined;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = await scratchDir("experiment-cli");
  await writeFile(path.join(dir, "node-down.yaml"), DOCUMENT);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  child = undefined;
  await api?.close();
  api = undefined;
});

/** A run where every check held: each phase done, the log without a stop. */
function passed(): ExperimentResult {
  const result = experimentResult({ status: "completed", verdict: "passed", reason: null, stopped_by: null });
  const phases = result.phases.map((phase) => ({ ...phase, state: "done" as const, checks: phase.checks.map((c) => ({ ...c, value: 0.01, verdict: "passed" as const })) }));
  return { ...result, elapsed_ms: result.total_ms, phases, log: [...result.log.slice(0, 2), { t: 30_000, message: "phase after started" }] };
}

/** The passing run while at phase `index` (0 before, 1 the step, 2 after), the phases before it done. */
function running(index: number): ExperimentResult {
  const done = passed();
  return {
    ...done,
    status: "running",
    verdict: "pending",
    ended_at: null,
    phase: done.phases[index]!.name,
    elapsed_ms: done.phases[index]!.start_ms,
    phases: done.phases.map((phase, i) => ({ ...phase, state: i < index ? "done" : i === index ? "running" : "pending" })),
    log: done.log.slice(0, index + 1),
  };
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI on the fake API; `onOutput` may act on what it has printed so far. */
async function runCli(script: FakeScript, args: string[], onOutput?: (stdout: string, proc: ChildProcess) => void): Promise<Run> {
  api = await fakeExperimentsApi(script);
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/experiment.ts", ...args, "--url", api.url], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  child = proc;
  let stdout = "";
  let stderr = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    onOutput?.(stdout, proc);
  });
  proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
    proc.on("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  return { code, stdout, stderr };
}

describe("npm run experiment", () => {
  it("experiment CLI › follows a passing run, prints its phases and writes the report; exits 0", async () => {
    const report = path.join(dir, "passed.html");
    const run = await runCli({ results: [running(0), running(1), running(2), passed()], report: "<!DOCTYPE html><title>the report</title>" }, [path.join(dir, "node-down.yaml"), "--report", report]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      ["■ phase before ended:", "    ✔ errors  1% (≤ 5%)  passed", "▶ phase node-down (step: node node-2 down) from 10s to 30s", "  [   10s] phase node-down started: node node-2 down"].join("\n"),
    );
    expect(run.stdout).toMatch(/▶ phase after[\s\S]*■ phase after ended/);
    expect(run.stdout).toContain("verdict  PASSED (completed");
    expect(run.stdout).toContain(`report   ${api!.url}/api/v1/experiments/exp-1/report`);
    expect(await readFile(report, "utf8")).toBe("<!DOCTYPE html><title>the report</title>");
    const posted = api!.requests[0]!;
    expect([posted.method, posted.path, posted.contentType, posted.body]).toEqual(["POST", "/api/v1/experiments", "application/yaml", DOCUMENT]);
  });

  it("experiment CLI › prints the stop reason of a failed run and writes its JSON; exits 1", async () => {
    const json = path.join(dir, "failed.json");
    const failed = experimentResult();
    const run = await runCli({ results: [running(0), running(1), failed] }, [path.join(dir, "node-down.yaml"), "--json", json]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("✘ stopped by p99 at 25s: 812 ms, threshold ≤ 500 ms");
    expect(run.stdout).toContain("verdict  FAILED (stopped, 25s of 40s)");
    expect(run.stdout).toContain(`reason   ${failed.reason}`);
    expect(JSON.parse(await readFile(json, "utf8"))).toEqual(failed);
  });

  it("experiment CLI › prints the reason an invalid document is refused; exits 2", async () => {
    const reason = "steps: a step does one thing: rules, anomaly, node or wait, not rules and node";
    const run = await runCli({ refuse: { status: 400, body: { error: "bad_request", reason } }, results: [] }, [path.join(dir, "node-down.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`400 bad_request: ${reason}`);
  });

  it("experiment CLI › aborts the experiment on Ctrl-C and prints the result; exits 1", async () => {
    const aborted = experimentResult({ status: "aborted", verdict: "failed", reason: "aborted by the user", stopped_by: null });
    let interrupted = false;
    const run = await runCli({ results: [running(0), running(1)], aborted }, [path.join(dir, "node-down.yaml")], (stdout, proc) => {
      if (interrupted || !stdout.includes("▶ phase node-down")) return;
      interrupted = true;
      proc.kill("SIGINT");
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("interrupted: aborting experiment exp-1");
    expect(run.stdout).toContain("verdict  FAILED (aborted");
    expect(api!.requests.map((r) => `${r.method} ${r.path}`)).toContain("POST /api/v1/experiments/exp-1/abort");
  });

  it("experiment CLI › refuses a file that is neither YAML nor JSON; exits 2", async () => {
    const run = await runCli({ results: [] }, [path.join(dir, "node-down.txt")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/an experiment is a \.yaml, \.yml or \.json file\n\nusage: npm run experiment/);
    expect(api!.requests).toEqual([]);
  });
});
