/**
 * The structured log: one JSON object per line, for a request answered, a fault injected or
 * an anomaly's change. Flat fields, each always of one type, `@timestamp` first: the shape
 * Elasticsearch indexes by dynamic mapping, and how the stack tells these lines from the
 * rest of the workers' output (LOG_LINE_START). Workers write them with console.log; the
 * stack (sidecars/stack/telemetry-tap.ts) puts them in the log file and hands them to the
 * sidecar's metrics.
 */
export interface RequestLogLine {
  "@timestamp": string;
  kind: "request";
  service: string;
  /** the S3 operation on the gateway, else the route (`/api/v1/rules/:id`) */
  operation: string;
  method: string;
  bucket?: string;
  status: number;
  duration_ms: number;
  bytes_in: number;
  bytes_out: number;
  request_id?: string;
  trace_id?: string;
  span_id?: string;
  /** the rule that touched the answer (x-mocks3-fault-rule), and its action */
  fault_rule_id?: string;
  fault_action?: string;
  message: string;
}

export interface FaultLogLine {
  "@timestamp": string;
  kind: "fault";
  /** the service whose gate injected it */
  service: string;
  operation: string;
  bucket: string;
  key: string;
  request_id: string;
  trace_id?: string;
  span_id?: string;
  fault_rule: string;
  fault_rule_id: string;
  fault_action: string;
  message: string;
}

export interface AnomalyLogLine {
  "@timestamp": string;
  kind: "anomaly";
  service: string;
  anomaly_id: string;
  anomaly_name: string;
  anomaly_type: string;
  metric: string;
  target_value: number;
  /** running, completed, cancelled, failed */
  state: string;
  message: string;
}

export type LogLine = RequestLogLine | FaultLogLine | AnomalyLogLine;

/** How every log line starts, and nothing else the workers print does. */
export const LOG_LINE_START = '{"@timestamp":';

export function writeLogLine(line: LogLine): void {
  console.log(JSON.stringify(line));
}
