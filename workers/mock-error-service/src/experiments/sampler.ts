/**
 * One sample of every check: its value over its sliding window (what the stop conditions
 * judge and the charts draw), and what arrived since the last sample added to the phases
 * running now (what the hypothesis is judged on, each request counted once). Probes run
 * beside the samples, each on its own period, and count when they come back.
 */
import type { Check } from "../../../../shared/experiments/document";
import type { Sample } from "../../../../shared/experiments/result";
import type { WindowQuery } from "../../../../shared/experiments/traffic-window";
import { accumulate, isTraffic, measuredValue, type Reading } from "./measures";
import type { PhaseState, RunState } from "./run-state";
import { anomalyValue, probeOnce, queueLength, trafficWindows } from "./sources";

/** The longest a probe's outcome is kept: the longest window. */
const PROBES_KEPT_MS = 60_000;
/**
 * How late a request reaches the sidecar after its answer: workers print in 50 ms batches,
 * the stack hands them over every 250 ms. A phase counts the requests answered within it
 * (the sidecar says when each was: `delta_by_time`), so the run ends this long after its
 * last phase, for the last requests to arrive.
 */
export const ARRIVAL_LAG_MS = 600;

/** The sample, or why the traffic could not be measured. */
export async function takeSample(env: MockErrorEnv, run: RunState, t: number, waitUntil: (promise: Promise<unknown>) => void): Promise<Sample | string> {
  const checks = [...run.document.hypothesis, ...run.document.stop_conditions];
  const readings = new Map<string, Reading>();
  const traffic = checks.filter(isTraffic);
  if (traffic.length > 0) {
    const answer = await trafficWindows(env, { since: run.cursor, queries: traffic.map(queryOf) });
    if (typeof answer === "string") return answer;
    run.cursor = answer.cursor;
    for (const result of answer.results) {
      readings.set(result.key, { kind: "traffic", tally: result.window });
      for (const { at, tally } of result.delta_by_time) addToPhases(answeredIn(run, at - run.started), result.key, { kind: "traffic", tally });
    }
  }
  const gauges = checks.filter((check) => check.queue_length || check.anomaly);
  const queue = gauges.some((check) => check.queue_length) ? await queueLength(env) : null;
  for (const check of gauges) {
    const value = check.queue_length ? queue : await anomalyValue(env, run.steps.find((step) => step.name === check.anomaly!.step)?.anomaly_id ?? null);
    const reading: Reading = { kind: "gauge", value };
    readings.set(check.name, reading);
    // a gauge is read now: no lag
    addToPhases(
      run.phases.filter((phase) => phase.state === "running"),
      check.name,
      reading,
    );
  }
  for (const check of checks.filter((c) => c.probe)) {
    probeIfDue(run, check, t, waitUntil);
    const recent = (run.probes[check.name]?.recent ?? []).filter(([at]) => at > t - check.window);
    readings.set(check.name, { kind: "probe", probes: recent.length, failures: recent.filter(([, ok]) => ok === 0).length });
  }
  const values: Record<string, number | null> = {};
  for (const check of checks) values[check.name] = measuredValue(check, readings.get(check.name) ?? { kind: "gauge", value: null }).value;
  run.last_sample_ms = t;
  return { t, values };
}

function queryOf(check: Check): WindowQuery {
  const measure = check.error_share ?? check.latency ?? check.injections!;
  return {
    key: check.name,
    service: measure.service ?? "gateway",
    ...(measure.operation ? { operation: measure.operation } : {}),
    ...(measure.bucket ? { bucket: measure.bucket } : {}),
    ...(check.injections?.rule ? { rule: check.injections.rule } : {}),
    window_ms: check.window,
  };
}

/** The phases a request answered at `t` belongs to: those that had begun and not yet ended (timeline.ts records when). */
function answeredIn(run: RunState, t: number): PhaseState[] {
  return run.phases.filter((phase) => (phase.state === "running" && phase.start_ms <= t) || (phase.state === "done" && phase.start_ms <= t && t < phase.end_ms));
}

function addToPhases(phases: PhaseState[], check: string, reading: Reading): void {
  for (const phase of phases) {
    const acc = phase.acc[check];
    if (acc) accumulate(acc, reading);
  }
}

function probeIfDue(run: RunState, check: Check, t: number, waitUntil: (promise: Promise<unknown>) => void): void {
  const state = (run.probes[check.name] ??= { next_ms: t, recent: [] });
  if (t < state.next_ms) return;
  state.next_ms = t + (check.probe!.every ?? 1_000);
  const sent = Date.now() - run.started;
  waitUntil(
    probeOnce(check.probe!).then((ok) => {
      const at = Date.now() - run.started;
      state.recent.push([at, ok ? 1 : 0]);
      while (state.recent.length > 0 && state.recent[0]![0] < at - PROBES_KEPT_MS) state.recent.shift();
      // in the phase it was sent in: a probe a step's faults failed counts in the step, however late it comes back
      if (run.status === "running") addToPhases(answeredIn(run, sent), check.name, { kind: "probe", probes: 1, failures: ok ? 0 : 1 });
    }),
  );
}
