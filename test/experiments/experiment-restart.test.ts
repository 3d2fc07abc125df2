/**
 * An experiment survives a restart of the whole stack: its run and its alarm are durable, so
 * the second stack carries on with the timeline where it is (noting the gap), ends the step
 * on time, removes its rule and completes. A halt aborts a running one.
 */
import { describe, expect, it } from "vitest";
import type { ExperimentResult } from "../../shared/experiments/result";
import { faultApi } from "../helpers/faults";
import { startStackProcess } from "../helpers/stack-process";

const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> => {
  for (const end = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 200))) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
  }
};

describe("experiments", () => {
  it("restart › a run survives a stack restart mid-timeline and completes, its rule removed", { timeout: 150_000 }, async () => {
    const first = await startStackProcess();
    let id: string;
    const tagged = async (base: string) => ((await faultApi("GET", "/rules", undefined, base)).json.rules as Array<{ name: string }>).filter((rule) => rule.name.endsWith(`[${id}]`));
    try {
      const base = first.services["mock-error-service"]!;
      const answer = await fetch(`${base}/api/v1/experiments`, {
        method: "POST",
        headers: { "content-type": "application/yaml" },
        body: `
name: survives
before: 500ms
after: 1s
steps:
  - name: slow puts
    at: 0s
    duration: 12s
    rules: [{name: slow puts, service: gateway, conditions: [{type: operation, value: [PutObject]}], action: {type: delay, delay: 5ms}}]
`,
      });
      expect(answer.status).toBe(201);
      ({ id } = (await answer.json()) as ExperimentResult);
      expect(
        await until(
          () => tagged(base),
          (rules) => rules.length === 1,
          10_000,
        ),
      ).toHaveLength(1);
    } finally {
      await first.stop();
    }

    const second = await startStackProcess({ dataDir: first.dataDir });
    try {
      const base = second.services["mock-error-service"]!;
      const read = async () => (await faultApi("GET", `/experiments/${id}`, undefined, base)).json as ExperimentResult;
      // the rule is still in force while the step lasts (unless the restart outlasted it)
      const resumed = await read();
      if (resumed.status === "running" && resumed.phase === "slow puts") expect(await tagged(base)).toHaveLength(1);
      const result = await until(read, (r) => r.status !== "running", 60_000);
      expect([result.status, result.verdict]).toEqual(["completed", "passed"]);
      expect(result.phases.map((phase) => phase.state)).toEqual(["done", "done", "done"]);
      expect(result.log.map((entry) => entry.message).join("\n")).toMatch(/resumed after \d+s without a sample/);
      expect(await tagged(base)).toEqual([]);

      // a halt (on this stack of its own) aborts a running experiment first, so that no step puts faults back
      const next = await fetch(`${base}/api/v1/experiments`, {
        method: "POST",
        headers: { "content-type": "application/yaml" },
        body: "name: halted\nbefore: 0s\nsteps:\n  - {at: 0s, duration: 1m, rules: [{name: slow, service: gateway, action: {type: delay, delay: 5ms}}]}\n  - {at: 2s, duration: 1m, rules: [{name: later, service: gateway, action: {type: delay, delay: 5ms}}]}\n",
      });
      ({ id } = (await next.json()) as ExperimentResult);
      await until(
        () => tagged(base),
        (rules) => rules.length === 1,
        10_000,
      );
      const halt = await faultApi("POST", "/halt", undefined, base);
      expect(halt.json.halted_experiment).toBe(id);
      const halted = await read();
      expect([halted.status, halted.reason]).toEqual(["aborted", "halted (POST /api/v1/halt)"]);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await tagged(base)).toEqual([]);
    } finally {
      await second.stop();
    }
  });
});
