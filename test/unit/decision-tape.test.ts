/**
 * DecisionTape (shared/faults/decision-tape.ts): what a gate notes while a recording runs, and
 * how it takes decisions from a recording while a replay is in force — by rule, stable facts
 * and order among requests with those facts — with the requests it does not know passed.
 */
import { describe, expect, it } from "vitest";
import { DecisionTape, ReplayQueues } from "../../shared/faults/decision-tape";
import type { RequestFacts } from "../../shared/faults/facts";
import type { RecordedDecision } from "../../shared/faults/recording";
import type { Rule } from "../../shared/faults/rule";

const rule: Rule = {
  id: "r1",
  name: "coin",
  description: "",
  service: "gateway",
  enabled: true,
  conditions: [],
  action: { type: "http_error", http_code: 503 },
  priority: 0,
  created_at: "",
  updated_at: "",
};

function facts(key: string, requestId = crypto.randomUUID()): RequestFacts {
  return { requestId, operation: "GetObject", method: "GET", bucket: "b", key, headers: { "x-amz-date": requestId }, query: {} };
}

function recorded(seq: number, key: string, outcome: "inject" | "pass"): RecordedDecision {
  return { seq, gate: "gateway", service: "gateway", rule: "coin", facts: { operation: "GetObject", method: "GET", bucket: "b", key }, n: seq, outcome, action: "http_error" };
}

describe("DecisionTape", () => {
  it("DecisionTape › records each decision with the request's stable facts, its n and its outcome, and drains once", () => {
    const tape = new DecisionTape("gateway", { recording: "rec", replay: null }, undefined);
    expect(tape.decide("gateway", rule, facts("a"), { inject: true, n: 1 })).toBe(true);
    expect(tape.decide("gateway", rule, { ...facts("b"), partNumber: 3 }, { inject: false, n: 2 })).toBe(false);
    expect(tape.drain()).toEqual({
      recording: {
        id: "rec",
        decisions: [
          { gate: "gateway", service: "gateway", rule: "coin", facts: { operation: "GetObject", method: "GET", bucket: "b", key: "a" }, n: 1, outcome: "inject", action: "http_error" },
          { gate: "gateway", service: "gateway", rule: "coin", facts: { operation: "GetObject", method: "GET", bucket: "b", key: "b", part_number: 3 }, n: 2, outcome: "pass", action: "http_error" },
        ],
      },
    });
    expect(tape.drain()).toBeUndefined();
  });

  it("DecisionTape › replays by facts and order among the same facts, whatever the draw says", () => {
    const plan = [recorded(1, "a", "inject"), recorded(2, "b", "pass"), recorded(3, "a", "pass"), recorded(4, "b", "inject")];
    const tape = new DecisionTape("gateway", { recording: null, replay: "rep" }, new ReplayQueues(plan));
    const draws = { inject: true, n: 99 };
    // b, b, a, a: each key's decisions in their own order, not the recording's overall one
    expect(["b", "b", "a", "a"].map((key) => tape.decide("gateway", rule, facts(key), draws))).toEqual([false, true, true, false]);
    expect(tape.drain()).toEqual({ replay: { id: "rep", used: [2, 4, 1, 3], unknown: [], unknownCount: 0 } });
  });

  it("DecisionTape › a request the recording does not know passes and is reported; so does one past its recorded count", () => {
    const tape = new DecisionTape("gateway", { recording: null, replay: "rep" }, new ReplayQueues([recorded(1, "a", "inject")]));
    const other = { ...rule, name: "other" };
    expect(tape.decide("gateway", rule, facts("a"), { inject: false, n: 1 })).toBe(true);
    expect(tape.decide("gateway", rule, facts("a"), { inject: true, n: 2 })).toBe(false);
    expect(tape.decide("gateway", rule, facts("z"), { inject: true, n: 3 })).toBe(false);
    expect(tape.decide("gateway", other, facts("a"), { inject: true, n: 1 })).toBe(false);
    expect(tape.decide("storage-service", rule, facts("a"), { inject: true, n: 1 })).toBe(false);
    const report = tape.drain()!.replay!;
    expect(report.used).toEqual([1]);
    expect(report.unknownCount).toBe(4);
    expect(report.unknown.map((u) => [u.service, u.rule, u.facts.key])).toEqual([
      ["gateway", "coin", "a"],
      ["gateway", "coin", "z"],
      ["gateway", "other", "a"],
      ["storage-service", "coin", "a"],
    ]);
  });

  it("DecisionTape › recording during a replay records the replayed outcomes", () => {
    const tape = new DecisionTape("gateway", { recording: "rec", replay: "rep" }, new ReplayQueues([recorded(1, "a", "pass")]));
    expect(tape.decide("gateway", rule, facts("a"), { inject: true, n: 7 })).toBe(false);
    const report = tape.drain()!;
    expect(report.recording!.decisions.map((d) => [d.n, d.outcome])).toEqual([[7, "pass"]]);
    expect(report.replay!.used).toEqual([1]);
  });
});
