/**
 * What the stack and its anomalies sidecar say over their IPC channel (Node's process.send):
 * the stack hands the workers' log lines to the sidecar's metrics in batches, with the front
 * door's open connections; the sidecar hands its own log lines (anomaly events) to the stack's
 * log.
 */
export interface TelemetryBatch {
  type: "telemetry";
  /** log lines as the workers printed them (JSON text, log-line.ts) */
  lines: string[];
  frontDoorConnections: number;
}

export interface SidecarLogLine {
  type: "log";
  line: string;
}

export type StackToSidecar = TelemetryBatch;
export type SidecarToStack = SidecarLogLine;
