/**
 * An experiment as the API reports it (`GET /api/v1/experiments/{id}`): its state, each
 * phase's measured values and verdicts, the samples behind the charts, the injections made,
 * and the timeline's log. The HTML report (report-html.tsx) and `npm run experiment` read
 * only this.
 */
import type { ExperimentDocument, MeasureKind, PhaseKind } from "./document";

export type ExperimentStatus = "running" | "completed" | "stopped" | "aborted";
/** passed: every hypothesis check held in every phase it applies to; failed: one did not, or the experiment was stopped or aborted */
export type Verdict = "pending" | "passed" | "failed";
export type CheckVerdict = "passed" | "failed" | "no_data";

export interface Threshold {
  max?: number;
  min?: number;
}

export interface CheckResult {
  check: string;
  measure: MeasureKind;
  /** the value over the whole phase (null: no data) */
  value: number | null;
  /** requests (or probes) the value is made of, where that applies */
  count?: number;
  threshold: Threshold;
  verdict: CheckVerdict;
}

export interface PhaseResult {
  /** "before", a step's name, or "after" */
  name: string;
  kind: PhaseKind;
  /** ms from the experiment's start */
  start_ms: number;
  end_ms: number;
  state: "pending" | "running" | "done" | "skipped";
  /** the hypothesis checks that apply to this phase */
  checks: CheckResult[];
  /** what the step did, e.g. "2 rules", "anomaly cpu_spike", "node node-2 down" */
  action?: string;
}

/** One sample: each check's value over its sliding window (null: no data). */
export interface Sample {
  /** ms from the experiment's start */
  t: number;
  values: Record<string, number | null>;
}

export interface StopReason {
  check: string;
  value: number;
  threshold: Threshold;
  /** ms from the experiment's start */
  at_ms: number;
}

export interface InjectionCount {
  rule: string;
  service: string;
  action: string;
  matched: number;
  injected: number;
}

export interface LogEntry {
  /** ms from the experiment's start */
  t: number;
  message: string;
}

export interface ExperimentResult {
  id: string;
  name: string;
  description: string;
  status: ExperimentStatus;
  verdict: Verdict;
  /** why it was stopped or aborted, or which check failed */
  reason: string | null;
  created_at: string;
  ended_at: string | null;
  /** ms from the start, as of this report */
  elapsed_ms: number;
  /** ms the whole timeline takes */
  total_ms: number;
  /** the phase running now, null once ended */
  phase: string | null;
  phases: PhaseResult[];
  /** the stop conditions' latest values, and the one that tripped */
  stop_conditions: CheckResult[];
  stopped_by: StopReason | null;
  /** the samples of the hypothesis checks and stop conditions (at most MAX_SAMPLES, evenly thinned) */
  samples: Sample[];
  injections: InjectionCount[];
  log: LogEntry[];
  document: ExperimentDocument;
}

/** A line of the list (`GET /api/v1/experiments`). */
export type ExperimentSummary = Pick<ExperimentResult, "id" | "name" | "status" | "verdict" | "reason" | "created_at" | "ended_at" | "elapsed_ms" | "total_ms" | "phase">;

/** A document checked but not run (`POST /api/v1/experiments?dry_run=true`): its timeline as planned. */
export interface ExperimentPlan {
  valid: true;
  name: string;
  total_ms: number;
  phases: Array<Pick<PhaseResult, "name" | "kind" | "start_ms" | "end_ms" | "action"> & { checks: string[] }>;
  stop_conditions: string[];
}

export const MAX_SAMPLES = 2_000;
