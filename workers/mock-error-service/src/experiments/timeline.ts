/**
 * One turn of a run's timeline, at time `t` (ms from its start): take the sample, judge the
 * stop conditions on it (from the first step on), begin and end the phases and steps whose
 * time has come, and end the run — completed once `after` is over, aborted when the steady
 * state did not hold before the first step, when a step cannot be carried out or the
 * traffic cannot be measured for MAX_UNMEASURED_MS — rolling back what it added.
 */
import type { CheckResult, ExperimentStatus, Sample } from "../../../../shared/experiments/result";
import { formatSeconds, formatValue } from "../../../../shared/experiments/measure-format";
import { experimentLog } from "./experiment-log";
import { checkResult, phaseChecks, totalMs, type PhaseState, type RunState } from "./run-state";
import { ARRIVAL_LAG_MS, takeSample } from "./sampler";
import { anomalyRunning, endStep, startStep, StepFailure, sweep } from "./step-actions";

/** a pause between samples longer than this (a stalled machine) is noted in the log, as a restart is */
const GAP_MS = 5_000;
/** the traffic may go unmeasured this long before the run is aborted */
const MAX_UNMEASURED_MS = 5_000;

/** Advances the run to `now`; with `abort`, ends it now for that reason; `readBack` after a restart. */
export async function advance(env: MockErrorEnv, run: RunState, now: number, ctx: DurableObjectState, abort?: string, readBack = false): Promise<Sample | undefined> {
  if (run.status !== "running") return undefined;
  const t = now - run.started;
  if (abort) {
    await finish(env, run, t, "aborted", abort);
    return undefined;
  }
  if (readBack || (run.last_sample_ms > 0 && t - run.last_sample_ms > GAP_MS)) await resume(env, run, t);
  const sample = await takeSample(env, run, t, (promise) => ctx.waitUntil(promise));
  if (typeof sample === "string") {
    run.unmeasured_since ??= t;
    if (t - run.unmeasured_since >= MAX_UNMEASURED_MS) await finish(env, run, t, "aborted", `the traffic could not be measured for ${Math.round((t - run.unmeasured_since) / 1000)}s: ${sample}`);
    // the timeline keeps its times meanwhile: steps end when they should
    else await turnPhases(env, run, t);
    return undefined;
  }
  run.unmeasured_since = null;
  if (t >= run.document.before && (await stopped(env, run, t, sample))) return sample;
  await turnPhases(env, run, t);
  return sample;
}

async function stopped(env: MockErrorEnv, run: RunState, t: number, sample: Sample): Promise<boolean> {
  for (const check of run.document.stop_conditions) {
    const value = sample.values[check.name] ?? null;
    run.stop_values[check.name] = value;
    const result = checkResult(check, { value });
    if (result.verdict !== "failed" || value === null) continue;
    run.stopped_by = { check: check.name, value, threshold: result.threshold, at_ms: t };
    await finish(env, run, t, "stopped", `stop condition ${check.name} failed: ${breach(result)}`);
    return true;
  }
  return false;
}

async function turnPhases(env: MockErrorEnv, run: RunState, t: number): Promise<void> {
  const [before, ...rest] = run.phases;
  const after = rest.pop()!;
  if (before!.state === "pending") begin(run, before!, t);
  if (before!.state === "running" && t >= before!.end_ms) close(run, before!, t);
  // judged once the requests of its last moments have arrived (the steps have begun meanwhile)
  if (before!.state === "done" && !run.steady_state_judged && t >= before!.end_ms + ARRIVAL_LAG_MS) {
    run.steady_state_judged = true;
    const failed = phaseChecks(run, before!).find((check) => check.verdict === "failed");
    if (failed) return finish(env, run, t, "aborted", `the steady state did not hold before the first step: ${failed.check} was ${breach(failed)}`);
  }
  for (const [i, phase] of rest.entries()) {
    const step = run.document.steps[i]!;
    const state = run.steps[i]!;
    if (state.state === "pending" && t >= phase.start_ms) {
      if (t >= phase.end_ms) {
        state.state = "done";
        phase.state = "skipped";
        experimentLog(run, "step_skipped", `step ${step.name} skipped: its time passed while the stack was down`);
        continue;
      }
      try {
        state.state = "running";
        // from the call on: the faults may be in force at a gate before the call returns
        const called = Date.now() - run.started;
        await startStep(env, run.id, step, state, phase.end_ms - t);
        begin(run, phase, called);
        experimentLog(run, "step_started", `step ${step.name} began: ${phase.action}`);
      } catch (error) {
        return finish(env, run, t, "aborted", error instanceof StepFailure ? error.message : `step ${step.name} failed: ${String(error)}`);
      }
    } else if (state.state === "running" && t >= phase.end_ms) {
      run.injections.push(...(await endStep(env, run.id, step, state)));
      state.state = "done";
      close(run, phase, Date.now() - run.started);
    }
  }
  // once every step's faults are gone (a step ends when its rollback returns)
  if (after.state === "pending" && t >= after.start_ms) begin(run, after, Math.max(t, ...rest.map((phase) => phase.end_ms)));
  if (after.state === "running" && t >= after.end_ms) close(run, after, t);
  if (after.state === "done" && t >= after.end_ms + ARRIVAL_LAG_MS) await finish(env, run, t, "completed", null);
}

/**
 * A phase's times become the moments it began and ended (a step's: when its faults were
 * asked for, once they are gone): the requests answered between them are the phase's, by
 * the sidecar's slices of TIME_STEP_MS, each counted where it starts.
 */
function begin(run: RunState, phase: PhaseState, t: number): void {
  phase.start_ms = Math.round(t);
  phase.state = "running";
  if (phase.kind !== "step") experimentLog(run, "phase_started", `phase ${phase.name} began`);
}

function close(run: RunState, phase: PhaseState, t: number): void {
  phase.end_ms = Math.round(t);
  phase.state = "done";
  const values = phaseChecks(run, phase).map((check) => `${check.check} ${formatValue(check.measure, check.value)} (${check.verdict})`);
  experimentLog(run, "phase_ended", `${phase.kind === "step" ? "step" : "phase"} ${phase.name} ended${values.length ? `: ${values.join(", ")}` : ""}`);
}

/** Ends the run: every running step rolled back, whatever carries its id swept, the verdict given. */
async function finish(env: MockErrorEnv, run: RunState, t: number, status: Exclude<ExperimentStatus, "running">, reason: string | null): Promise<void> {
  for (const [i, state] of run.steps.entries()) {
    if (state.state !== "running") continue;
    try {
      run.injections.push(...(await endStep(env, run.id, run.document.steps[i]!, state)));
    } catch (error) {
      experimentLog(run, "rollback_failed", `rolling back step ${state.name} failed: ${String(error)}`);
    }
    state.state = "done";
  }
  await sweep(env, run.id).catch((error) => experimentLog(run, "rollback_failed", `sweeping the experiment's rules and anomalies failed: ${String(error)}`));
  for (const phase of run.phases) {
    if (phase.state === "running") {
      phase.state = "done";
      phase.end_ms = Math.round(Date.now() - run.started);
    } else if (phase.state === "pending") phase.state = "skipped";
  }
  run.status = status;
  run.ended_at = new Date(run.started + t).toISOString();
  const failed = run.phases.flatMap((phase) =>
    phaseChecks(run, phase)
      .filter((check) => check.verdict === "failed")
      .map((check) => ({ phase, check })),
  );
  if (status === "completed" && failed.length === 0) {
    run.verdict = "passed";
  } else {
    run.verdict = "failed";
    const first = failed[0];
    run.reason = reason ?? (first ? `hypothesis check ${first.check.check} failed in ${first.phase.name}: ${breach(first.check)}` : null);
  }
  experimentLog(run, status, `experiment ${status} after ${formatSeconds(t)} of ${formatSeconds(totalMs(run))}: ${run.verdict}${run.reason ? ` (${run.reason})` : ""}`);
}

/** After a gap (a restart): an anomaly the restarted sidecar lost is started again for the rest of its step. */
async function resume(env: MockErrorEnv, run: RunState, t: number): Promise<void> {
  experimentLog(run, "resumed", `resumed after ${Math.round((t - run.last_sample_ms) / 1000)}s without a sample`);
  for (const [i, state] of run.steps.entries()) {
    const phase = run.phases[i + 1]!;
    if (state.state !== "running" || !state.anomaly_id || t >= phase.end_ms) continue;
    if (await anomalyRunning(env, state.anomaly_id)) continue;
    await startStep(env, run.id, run.document.steps[i]!, state, phase.end_ms - t).catch((error) =>
      experimentLog(run, "step_failed", `step ${state.name}'s anomaly could not be started again: ${String(error)}`),
    );
  }
}

/** "12.5% > max 5%" */
function breach({ measure, value, threshold }: CheckResult): string {
  const shown = (v: number | null) => formatValue(measure, v);
  if (value !== null && threshold.max !== undefined && value > threshold.max) return `${shown(value)} > max ${shown(threshold.max)}`;
  if (value !== null && threshold.min !== undefined && value < threshold.min) return `${shown(value)} < min ${shown(threshold.min)}`;
  return shown(value);
}
