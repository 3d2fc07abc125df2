/**
 * A hand-made ExperimentResult for the report's and the CLI's tests (shared/experiments/result.ts):
 * three phases, a hypothesis check and a stop condition, samples with a gap of no data, a stop
 * reason, and a name that is an attempt at markup — user text the report must escape.
 */
import type { ExperimentDocument } from "../../shared/experiments/document";
import type { ExperimentResult } from "../../shared/experiments/result";

export const HOSTILE_NAME = `<script>alert("x")</script> & friends`;

const DOCUMENT: ExperimentDocument = {
  name: HOSTILE_NAME,
  description: "Does the store hold when one node is down?",
  before: 10_000,
  after: 10_000,
  hypothesis: [{ name: "errors", error_share: {}, max: 0.05, window: 10_000, min_requests: 1, phases: ["before", "step", "after"] }],
  steps: [{ name: "node-down", at: 0, duration: 20_000, node: { name: "node-2", state: "down" } }],
  stop_conditions: [{ name: "p99", latency: { percentile: 99 }, max: 500, window: 10_000, min_requests: 1, phases: ["before", "step", "after"] }],
};

export function experimentResult(overrides: Partial<ExperimentResult> = {}): ExperimentResult {
  return {
    id: "exp-1",
    name: HOSTILE_NAME,
    description: DOCUMENT.description,
    status: "stopped",
    verdict: "failed",
    reason: "stop condition p99 failed: 812 ms > 500 ms",
    created_at: "2026-12-06T12:00:00.000Z",
    ended_at: "2026-12-06T12:00:25.000Z",
    elapsed_ms: 25_000,
    total_ms: 40_000,
    phase: null,
    phases: [
      { name: "before", kind: "before", start_ms: 0, end_ms: 10_000, state: "done", checks: [check("errors", "error_share", 0.0123, "passed")] },
      { name: "node-down", kind: "step", start_ms: 10_000, end_ms: 30_000, state: "done", action: "node node-2 down", checks: [check("errors", "error_share", 0.0871, "failed")] },
      { name: "after", kind: "after", start_ms: 30_000, end_ms: 40_000, state: "skipped", checks: [check("errors", "error_share", null, "no_data")] },
    ],
    stop_conditions: [{ check: "p99", measure: "latency", value: 812.4, threshold: { max: 500 }, verdict: "failed" }],
    stopped_by: { check: "p99", value: 812.4, threshold: { max: 500 }, at_ms: 25_000 },
    samples: [
      { t: 1_000, values: { errors: 0.01, p99: 120 } },
      { t: 5_000, values: { errors: 0.02, p99: 130 } },
      { t: 9_000, values: { errors: null, p99: null } },
      { t: 13_000, values: { errors: 0.06, p99: 400 } },
      { t: 17_000, values: { errors: 0.09, p99: 650 } },
      { t: 25_000, values: { errors: 0.08, p99: 812.4 } },
    ],
    injections: [{ rule: "<b>slow</b>", service: "storage-service", action: "latency", matched: 120, injected: 30 }],
    log: [
      { t: 0, message: "phase before started" },
      { t: 10_000, message: "phase node-down started: node node-2 down" },
      { t: 25_000, message: "stopped by p99: 812 ms > 500 ms" },
    ],
    document: DOCUMENT,
    ...overrides,
  };
}

function check(name: string, measure: "error_share", value: number | null, verdict: "passed" | "failed" | "no_data") {
  return { check: name, measure, value, count: value === null ? 0 : 200, threshold: { max: 0.05 }, verdict };
}
