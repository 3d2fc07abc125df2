/**
 * Experiments on the suite's stack, one at a time (one runs at once, so they all live in
 * this file): a stop condition ends a run within 1 s of its breach and removes its rules; a
 * passing run's report holds every phase's values; an abort rolls back; `npm run
 * experiment` exits 1 when the hypothesis fails; bad documents are refused with the reason.
 * Every check watches the test's own bucket, so other files' traffic is not in its figures.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExperimentPlan, ExperimentResult } from "../../shared/experiments/result";
import { faultApi, mockErrorUrl, scoped, withRule } from "../helpers/faults";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, signer } from "../helpers/s3";
import { scratchDir } from "../helpers/scratch-dir";
import { START_ENV } from "../helpers/stack-process";

const FLAKY_STORAGE = path.resolve(import.meta.dirname, "../../examples/experiments/flaky-storage.yaml");
const yamlPost = (text: string) => fetch(`${mockErrorUrl()}/api/v1/experiments`, { method: "POST", headers: { "content-type": "application/yaml" }, body: text });

/** Requests to one key, `workers` at a time, until stopped: when each was answered, and with what. */
function traffic(bucket: string, key: string, workers = 4) {
  const answers: Array<{ at: number; status: number; injected: boolean }> = [];
  let running = true;
  const loops = Array.from({ length: workers }, async () => {
    while (running) {
      const answer = await signer().fetch(objectPathUrl(bucket, key));
      await answer.arrayBuffer();
      answers.push({ at: Date.now(), status: answer.status, injected: answer.headers.has("x-mocks3-fault-rule") });
    }
  });
  return {
    answers,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function experiment(id: string): Promise<ExperimentResult> {
  return (await faultApi("GET", `/experiments/${id}`)).json as ExperimentResult;
}

/** Polls until the run has ended, for at most `ms`. */
async function ended(id: string, ms = 60_000): Promise<ExperimentResult> {
  for (const until = Date.now() + ms; Date.now() < until; await new Promise((r) => setTimeout(r, 200))) {
    const result = await experiment(id);
    if (result.status !== "running") return result;
  }
  throw new Error(`experiment ${id} still runs after ${ms} ms`);
}

async function experimentRules(id: string): Promise<string[]> {
  return ((await faultApi("GET", "/rules")).json.rules as Array<{ name: string }>).map((rule) => rule.name).filter((name) => name.endsWith(`[${id}]`));
}

describe("experiments", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket("experiments");
    await signer().fetch(objectPathUrl(bucket, "k"), { method: "PUT", body: "steady" });
  });

  it("POST › refuses a document that does not parse or check, with the reason; unknown ids are 404", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["application/yaml", "name: [unclosed", /not valid YAML/],
      ["application/json", "{", /not valid JSON/],
      ["application/yaml", "name: no steps\n", /steps/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 1s, wait: true}]\nhypothesis: [{name: a, error_share: {}, latency: {percentile: 99}, max: 1}]", /exactly one of/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 1s, wait: true}]\nstop_conditions: [{name: a, error_share: {}}]", /threshold/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 2h, wait: true}]", /timeline lasts|duration/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 1s, rules: [{name: r, service: gateway, action: {type: teleport}}]}]", /steps\.0\.rules\.0\.action/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 1s, anomaly: {name: a, service: gateway, anomaly_type: cpu_spike, metric_name: nope, target_value: 50}}]", /system_cpu_usage_percent/],
      ["application/yaml", "name: x\nsteps: [{at: 0s, duration: 1s, wait: true}]\nhypothesis: [{name: a, anomaly: {step: step-1}, min: 1}]", /no step with an anomaly/],
    ];
    for (const [type, body, reason] of cases) {
      const answer = await fetch(`${mockErrorUrl()}/api/v1/experiments`, { method: "POST", headers: { "content-type": type }, body });
      const json = (await answer.json()) as { error: string; reason: string };
      expect([answer.status, json.error], body).toEqual([400, "bad_request"]);
      expect(json.reason, body).toMatch(reason);
    }
    expect((await faultApi("GET", "/experiments/exp-nope")).status).toBe(404);
    expect((await faultApi("POST", "/experiments/exp-nope/abort")).status).toBe(404);
  });

  it("dry run › a document is checked and its timeline planned, nothing started; npm run experiment --check prints it", { timeout: 30_000 }, async () => {
    const before = (await faultApi("GET", "/experiments")).json.total as number;
    const answer = await fetch(`${mockErrorUrl()}/api/v1/experiments?dry_run=true`, { method: "POST", headers: { "content-type": "application/yaml" }, body: await readFile(FLAKY_STORAGE, "utf8") });
    expect(answer.status).toBe(200);
    const plan = (await answer.json()) as ExperimentPlan;
    expect(plan).toMatchObject({ valid: true, name: "flaky storage tier", total_ms: 50_000, stop_conditions: ["S3 errors stay bounded", "the demo service stays up"] });
    expect(plan.phases.map((phase) => [phase.name, phase.start_ms, phase.end_ms, phase.checks.length])).toEqual([
      ["before", 0, 10_000, 2],
      ["flaky storage", 10_000, 40_000, 2],
      ["after", 40_000, 50_000, 2],
    ]);
    expect((await faultApi("GET", "/experiments")).json.total).toBe(before);
    const refused = await fetch(`${mockErrorUrl()}/api/v1/experiments?dry_run=true`, { method: "POST", headers: { "content-type": "application/yaml" }, body: "name: x\nsteps: []" });
    expect(refused.status).toBe(400);

    const run = await runCli([FLAKY_STORAGE, "--check", "--url", mockErrorUrl()]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('valid    "flaky storage tier": 3 phases over 50s');
    expect(run.output).toMatch(/10s – 40s\s+step flaky storage: 2 fault rules/);
    expect((await faultApi("GET", "/experiments")).json.total).toBe(before);
  });

  it("stop condition › a 50 % http_error step against a 5 % error-share check ends within 1 s of the breach, its rules removed, the reason given", { timeout: 60_000 }, async () => {
    const load = traffic(bucket, "k");
    try {
      const answer = await yamlPost(`
name: blast radius
before: 1s
after: 1s
steps:
  - name: half the gets fail
    at: 0s
    duration: 30s
    rules:
      - name: flaky get
        service: gateway
        conditions: [{type: bucket, value: ${bucket}}, {type: operation, value: [GetObject]}, {type: probability, value: 0.5}]
        action: {type: http_error, http_code: 503}
stop_conditions:
  - name: get errors
    error_share: {bucket: ${bucket}}
    max: 0.05
    window: 2s
    min_requests: 5
`);
      expect(answer.status).toBe(201);
      const { id } = (await answer.json()) as ExperimentResult;
      // one at a time
      expect((await yamlPost("name: second\nsteps: [{at: 0s, duration: 1s, wait: true}]")).status).toBe(409);
      const result = await ended(id);
      expect([result.status, result.verdict, result.stopped_by?.check]).toEqual(["stopped", "failed", "get errors"]);
      expect(result.reason).toMatch(/stop condition get errors failed: [\d.]+% > max 5%/);
      expect(await experimentRules(id)).toEqual([]);
      expect(result.injections).toEqual([expect.objectContaining({ rule: "flaky get", action: "http_error" })]);
      expect(result.injections[0]!.injected).toBeGreaterThan(0);

      // the breach as the client saw it: the first moment its own last 2 s held ≥ 5 answers, over 5 % failed
      const seen = load.answers;
      const breach = seen.find((answer) => {
        const recent = seen.filter((a) => a.at > answer.at - 2000 && a.at <= answer.at);
        return recent.length >= 5 && recent.filter((a) => a.status === 503).length / recent.length > 0.05;
      })!;
      expect(breach).toBeDefined();
      const endedAt = Date.parse(result.ended_at!);
      expect(endedAt - breach.at).toBeLessThan(1000);
      // and once ended, nothing more is injected
      await new Promise((r) => setTimeout(r, 300));
      const late = seen.filter((a) => a.at > endedAt + 250 && a.injected);
      expect(late).toEqual([]);
    } finally {
      await load.stop();
    }
  });

  it("report › a passing run holds each phase's values, the injections, the samples, and renders them as HTML", { timeout: 60_000 }, async () => {
    const probed = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => probed.listen(0, "127.0.0.1", resolve));
    const load = traffic(bucket, "k", 2);
    try {
      const answer = await yamlPost(`
name: flaky then slow
description: the service keeps answering while S3 fails a fifth of its reads, then slows down
before: 1500ms
after: 1500ms
hypothesis:
  - name: get errors
    error_share: {bucket: ${bucket}, operation: GetObject}
    max: 0.5
  - name: get p50
    latency: {bucket: ${bucket}, operation: GetObject, percentile: 50}
    max: 5000
  - name: app health
    probe: {url: "http://127.0.0.1:${(probed.address() as AddressInfo).port}/health", every: 300ms}
    max: 0
steps:
  - name: flaky
    at: 0s
    duration: 2s
    rules:
      - name: a fifth fail
        service: gateway
        conditions: [{type: bucket, value: ${bucket}}, {type: probability, value: 0.2}]
        action: {type: http_error, http_code: 500}
        seed: 7
  - name: slow
    at: 2s
    duration: 3s
    rules:
      - name: slow reads
        service: gateway
        conditions: [{type: bucket, value: ${bucket}}]
        action: {type: delay, delay: 40ms}
stop_conditions:
  - name: everything fails
    error_share: {bucket: ${bucket}}
    max: 0.95
    min_requests: 10
`);
      expect(answer.status).toBe(201);
      const { id } = (await answer.json()) as ExperimentResult;
      const result = await ended(id);
      expect([result.status, result.verdict, result.reason]).toEqual(["completed", "passed", null]);
      expect(result.phases.map((phase) => [phase.name, phase.state])).toEqual([
        ["before", "done"],
        ["flaky", "done"],
        ["slow", "done"],
        ["after", "done"],
      ]);
      for (const phase of result.phases) {
        expect(
          phase.checks.map((check) => check.verdict),
          phase.name,
        ).toEqual(["passed", "passed", "passed"]);
        for (const check of phase.checks) expect(check.value, `${phase.name} ${check.check}`).not.toBeNull();
      }
      const value = (phase: string, check: string) => result.phases.find((p) => p.name === phase)!.checks.find((c) => c.check === check)!.value!;
      expect(value("before", "get errors")).toBe(0);
      expect(value("flaky", "get errors")).toBeGreaterThan(0.05);
      expect(value("slow", "get p50")).toBeGreaterThanOrEqual(40);
      expect(value("before", "get p50")).toBeLessThan(40);
      expect(result.injections.map((i) => i.rule).sort()).toEqual(["a fifth fail", "slow reads"]);
      expect(result.samples.length).toBeGreaterThan(10);
      expect(Object.keys(result.samples.at(-1)!.values).sort()).toEqual(["app health", "everything fails", "get errors", "get p50"]);
      expect(await experimentRules(id)).toEqual([]);

      const report = await fetch(`${mockErrorUrl()}/api/v1/experiments/${id}/report`);
      expect(report.headers.get("content-type")).toMatch(/text\/html/);
      const html = await report.text();
      for (const text of ["flaky then slow", "before", "flaky", "slow", "after", "get p50", "a fifth fail"]) expect(html).toContain(text);
      expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(4);

      const listed = (await faultApi("GET", "/experiments")).json.experiments as Array<{ id: string; verdict: string }>;
      expect(listed.find((e) => e.id === id)?.verdict).toBe("passed");
    } finally {
      await load.stop();
      probed.close();
    }
  });

  it("abort › ends a running experiment at once and removes its rules", { timeout: 30_000 }, async () => {
    const answer = await yamlPost(`
name: long
before: 0s
steps: [{name: slow, at: 0s, duration: 5m, rules: [{name: slow puts, service: gateway, conditions: [{type: bucket, value: ${bucket}}, {type: operation, value: [PutObject]}], action: {type: delay, delay: 10ms}}]}]
`);
    expect(answer.status).toBe(201);
    const { id } = (await answer.json()) as ExperimentResult;
    for (let i = 0; i < 50 && (await experimentRules(id)).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await experimentRules(id)).toHaveLength(1);
    const aborted = (await faultApi("POST", `/experiments/${id}/abort`)).json as ExperimentResult;
    expect([aborted.status, aborted.verdict, aborted.reason]).toEqual(["aborted", "failed", "aborted by request"]);
    expect(await experimentRules(id)).toEqual([]);
    expect(aborted.phases.map((phase) => phase.state)).toEqual(["done", "done", "skipped"]);
  });

  it("abort › a step that cannot be carried out ends the run, rolled back, with the reason", { timeout: 30_000 }, async () => {
    const answer = await yamlPost(`
name: lost node
before: 0s
steps:
  - {name: slow, at: 0s, duration: 1m, rules: [{name: slow heads, service: gateway, conditions: [{type: bucket, value: ${bucket}}, {type: operation, value: [HeadObject]}], action: {type: delay, delay: 10ms}}]}
  - {name: no such node, at: 1s, duration: 10s, node: {name: node-99}}
`);
    expect(answer.status).toBe(201);
    const { id } = (await answer.json()) as ExperimentResult;
    const result = await ended(id, 20_000);
    expect([result.status, result.verdict]).toEqual(["aborted", "failed"]);
    expect(result.reason).toMatch(/node-99/);
    expect(await experimentRules(id)).toEqual([]);
    expect(result.phases.map((phase) => [phase.name, phase.state])).toEqual([
      ["before", "done"],
      ["slow", "done"],
      // it never began
      ["no such node", "skipped"],
      ["after", "skipped"],
    ]);
  });

  it("steady state › a hypothesis that fails before the first step aborts the run there, its steps rolled back", { timeout: 30_000 }, async () => {
    await withRule(scoped(bucket, { conditions: [{ type: "key", prefix: "broken" }], action: { type: "http_error", http_code: 500 } }), async () => {
      const load = traffic(bucket, "broken", 2);
      try {
        const answer = await yamlPost(`
name: unsteady
before: 1s
hypothesis: [{name: get errors, error_share: {bucket: ${bucket}}, max: 0.01}]
steps: [{name: later, at: 0s, duration: 20s, rules: [{name: slow heads, service: gateway, conditions: [{type: bucket, value: ${bucket}}, {type: operation, value: [HeadObject]}], action: {type: delay, delay: 5ms}}]}]
`);
        expect(answer.status).toBe(201);
        const { id } = (await answer.json()) as ExperimentResult;
        const result = await ended(id, 20_000);
        expect([result.status, result.verdict]).toEqual(["aborted", "failed"]);
        expect(result.reason).toMatch(/^the steady state did not hold before the first step: get errors was 100% > max 1%$/);
        expect(result.phases.map((phase) => phase.state)).toEqual(["done", "done", "skipped"]);
        expect(await experimentRules(id)).toEqual([]);
      } finally {
        await load.stop();
      }
    });
  });

  it("npm run experiment › follows a run and exits 1 when the hypothesis fails", { timeout: 60_000 }, async () => {
    const dir = await scratchDir("experiment-cli");
    const file = path.join(dir, "failing.yaml");
    await writeFile(
      file,
      `name: errors are not tolerated
before: 1s
after: 1s
hypothesis:
  - name: no get errors
    error_share: {bucket: ${bucket}}
    max: 0.01
steps:
  - {name: all fail, at: 0s, duration: 1500ms, rules: [{name: every get, service: gateway, conditions: [{type: bucket, value: ${bucket}}], action: {type: http_error, http_code: 503}}]}
`,
    );
    const load = traffic(bucket, "k", 2);
    try {
      const run = await runCli([file, "--url", mockErrorUrl(), "--report", path.join(dir, "report.html")]);
      expect(run.code, run.output).toBe(1);
      expect(run.output).toMatch(/failed/);
      expect(run.output).toMatch(/no get errors/);
    } finally {
      await load.stop();
    }
  });

  afterAll(async () => {
    // nothing of an experiment may outlive the file
    const running = ((await faultApi("GET", "/experiments")).json.experiments as Array<{ id: string; status: string }>).filter((e) => e.status === "running");
    for (const { id } of running) await faultApi("POST", `/experiments/${id}/abort`);
  });
});

function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/experiment.ts", ...args], { cwd: path.resolve(import.meta.dirname, "../.."), env: { ...process.env, ...START_ENV } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
