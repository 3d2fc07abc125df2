/**
 * An experiment's course, told twice: in the run's own log (the report's timeline) and as
 * a structured log line carrying the experiment's id (the log file, the console's live view).
 */
import { writeLogLine } from "../../../../shared/telemetry/log-line";
import { note, type RunState } from "./run-state";

export function experimentLog(run: RunState, event: string, message: string): void {
  note(run, Date.now() - run.started, message);
  writeLogLine({
    "@timestamp": new Date().toISOString(),
    kind: "experiment",
    service: "mock-error-service",
    experiment_id: run.id,
    experiment_name: run.document.name,
    event,
    status: run.status,
    verdict: run.verdict,
    message: `experiment ${run.id}: ${message}`,
  });
}
