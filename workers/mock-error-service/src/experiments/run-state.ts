/**
 * An experiment's run as its Durable Object keeps it (one JSON document per experiment,
 * written after every sample): the timeline laid out as phases when it starts — before,
 * one per step, after — what each step put in place (to take it away again), what each
 * phase's checks have added up, and the report built from it (`resultOf`).
 */
import type { Check, ExperimentDocument, PhaseKind } from "../../../../shared/experiments/document";
import { measureOf } from "../../../../shared/experiments/document";
import type { CheckResult, ExperimentPlan, ExperimentResult, ExperimentStatus, InjectionCount, LogEntry, Sample, StopReason, Verdict } from "../../../../shared/experiments/result";
import type { WindowCursor } from "../../../../shared/experiments/traffic-window";
import { emptyAccumulator, thresholdOf, measuredValue, verdictOf, type Accumulator } from "./measures";

export interface StepState {
  name: string;
  state: "pending" | "running" | "done";
  /** what it put in place */
  rule_ids: string[];
  anomaly_id: string | null;
  node: string | null;
}

export interface PhaseState {
  name: string;
  kind: PhaseKind;
  start_ms: number;
  end_ms: number;
  state: "pending" | "running" | "done" | "skipped";
  action?: string;
  /** per hypothesis check that applies to the phase */
  acc: Record<string, Accumulator>;
}

export interface ProbeState {
  next_ms: number;
  /** [ms from the start, 1 ok / 0 failed] of the probes in the longest window */
  recent: Array<[number, 0 | 1]>;
}

export interface RunState {
  id: string;
  document: ExperimentDocument;
  created_at: string;
  /** epoch ms of the start */
  started: number;
  ended_at: string | null;
  status: ExperimentStatus;
  verdict: Verdict;
  reason: string | null;
  stopped_by: StopReason | null;
  steps: StepState[];
  phases: PhaseState[];
  cursor: WindowCursor | null;
  probes: Record<string, ProbeState>;
  /** the stop conditions' latest values */
  stop_values: Record<string, number | null>;
  injections: InjectionCount[];
  log: LogEntry[];
  /** ms from the start of the latest sample */
  last_sample_ms: number;
  /** ms from the start since when the traffic could not be measured, null while it can */
  unmeasured_since: number | null;
  /** whether the steady state (the before phase's checks) has been judged */
  steady_state_judged?: boolean;
}

export const MAX_LOG = 500;

export function newRun(id: string, document: ExperimentDocument, now: number): RunState {
  const { before, after, steps, hypothesis } = document;
  const stepsEnd = Math.max(...steps.map((step) => step.at + step.duration));
  const phase = (name: string, kind: PhaseKind, start: number, end: number, action?: string): PhaseState => ({
    name,
    kind,
    start_ms: start,
    end_ms: end,
    state: "pending",
    ...(action ? { action } : {}),
    acc: Object.fromEntries(hypothesis.filter((check) => check.phases.includes(kind)).map((check) => [check.name, emptyAccumulator(check)])),
  });
  return {
    id,
    document,
    created_at: new Date(now).toISOString(),
    started: now,
    ended_at: null,
    status: "running",
    verdict: "pending",
    reason: null,
    stopped_by: null,
    steps: steps.map((step) => ({ name: step.name, state: "pending", rule_ids: [], anomaly_id: null, node: null })),
    phases: [
      phase("before", "before", 0, before),
      ...steps.map((step) => phase(step.name, "step", before + step.at, before + step.at + step.duration, actionOf(step))),
      phase("after", "after", before + stepsEnd, before + stepsEnd + after),
    ],
    cursor: null,
    probes: {},
    stop_values: {},
    injections: [],
    log: [],
    last_sample_ms: 0,
    unmeasured_since: null,
  };
}

/** The timeline a document would run, without running it. */
export function planOf(document: ExperimentDocument): ExperimentPlan {
  const run = newRun("plan", document, 0);
  return {
    valid: true,
    name: document.name,
    total_ms: totalMs(run),
    phases: run.phases.map(({ name, kind, start_ms, end_ms, action, acc }) => ({ name, kind, start_ms, end_ms, ...(action ? { action } : {}), checks: Object.keys(acc) })),
    stop_conditions: document.stop_conditions.map((check) => check.name),
  };
}

export function totalMs(run: RunState): number {
  return run.phases.at(-1)!.end_ms;
}

export function note(run: RunState, t: number, message: string): void {
  run.log.push({ t: Math.max(0, Math.round(t)), message });
  if (run.log.length > MAX_LOG) run.log.splice(0, run.log.length - MAX_LOG);
}

/** A phase's results: each of its checks' value over the phase, and verdict. */
export function phaseChecks(run: RunState, phase: PhaseState): CheckResult[] {
  return run.document.hypothesis.filter((check) => phase.acc[check.name]).map((check) => checkResult(check, measuredValue(check, phase.acc[check.name]!)));
}

export function checkResult(check: Check, measured: { value: number | null; count?: number }): CheckResult {
  const threshold = thresholdOf(check);
  return {
    check: check.name,
    measure: measureOf(check),
    value: measured.value,
    ...(measured.count === undefined ? {} : { count: measured.count }),
    threshold,
    verdict: verdictOf(threshold, measured.value),
  };
}

export function resultOf(run: RunState, samples: Sample[], now: number): ExperimentResult {
  const elapsed = run.ended_at ? Date.parse(run.ended_at) - run.started : now - run.started;
  return {
    id: run.id,
    name: run.document.name,
    description: run.document.description,
    status: run.status,
    verdict: run.verdict,
    reason: run.reason,
    created_at: run.created_at,
    ended_at: run.ended_at,
    elapsed_ms: Math.max(0, elapsed),
    total_ms: totalMs(run),
    phase: run.status === "running" ? (run.phases.filter((p) => p.state === "running").at(-1)?.name ?? null) : null,
    phases: run.phases.map((phase) => ({
      name: phase.name,
      kind: phase.kind,
      start_ms: phase.start_ms,
      end_ms: phase.end_ms,
      state: phase.state,
      ...(phase.action ? { action: phase.action } : {}),
      checks: phaseChecks(run, phase),
    })),
    stop_conditions: run.document.stop_conditions.map((check) => checkResult(check, { value: run.stop_values[check.name] ?? null })),
    stopped_by: run.stopped_by,
    samples,
    injections: run.injections,
    log: run.log,
    document: run.document,
  };
}

function actionOf(step: ExperimentDocument["steps"][number]): string {
  if (step.rules) return `${step.rules.length} fault rule${step.rules.length === 1 ? "" : "s"}: ${step.rules.map((rule) => `${rule.name} (${rule.action.type})`).join(", ")}`;
  if (step.anomaly) return `anomaly ${String(step.anomaly.anomaly_type)} on ${String(step.anomaly.service)}: ${String(step.anomaly.metric_name)} → ${String(step.anomaly.target_value)}`;
  if (step.node) return `storage node ${step.node.name} ${step.node.state ?? "down"}`;
  return "wait";
}
