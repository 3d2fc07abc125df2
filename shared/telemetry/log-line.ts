/**
 * The structured log: one JSON object per line, for a request answered, a fault injected or
 * an anomaly's change. Flat fields, each always of one type, `@timestamp` first: the shape
 * Elasticsearch indexes by dynamic mapping, and how the stack tells these lines from the
 * rest of the workers' output (LOG_LINE_START). Workers print them; the stack
 * (sidecars/stack/telemetry-tap.ts) puts them in the log file and hands them to the
 * sidecar's metrics.
 *
 * A worker prints its lines in batches: each console.log is a write out of workerd, which
 * costs more than the rest of a small GET's log line. A batch is printed 50 ms after its
 * first line (kept alive by that request's waitUntil) or once it holds 100 lines.
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

/** One attempt to deliver an object event to a webhook (queue-service). */
export interface DeliveryLogLine {
  "@timestamp": string;
  kind: "delivery";
  service: "queue-service";
  bucket: string;
  key: string;
  event_name: string;
  destination: string;
  /** 1 for the first attempt */
  attempt: number;
  /** delivered, retrying, dead_lettered */
  outcome: "delivered" | "retrying" | "dead_lettered";
  /** the webhook's answer; 0 when it gave none */
  status: number;
  duration_ms: number;
  message: string;
}

/** An experiment's course: started, a step begun or ended, stopped, aborted, completed. */
export interface ExperimentLogLine {
  "@timestamp": string;
  kind: "experiment";
  service: "mock-error-service";
  experiment_id: string;
  experiment_name: string;
  event: string;
  /** running, completed, stopped, aborted */
  status: string;
  /** pending, passed, failed */
  verdict: string;
  message: string;
}

export type LogLine = RequestLogLine | FaultLogLine | AnomalyLogLine | DeliveryLogLine | ExperimentLogLine;

/** How every log line starts, and nothing else the workers print does. */
export const LOG_LINE_START = '{"@timestamp":';

const BATCH_MS = 50;
const BATCH_LINES = 100;

let batch: string[] = [];

/** A line of the log, or undefined for one that is not (a torn or foreign line). */
export function parseLogLine(text: string): LogLine | undefined {
  if (!text.startsWith(LOG_LINE_START)) return undefined;
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return undefined;
  }
}

/** Queues a line for the next batch; without `waitUntil` (outside a request) it is printed now. */
export function writeLogLine(line: LogLine, waitUntil?: (promise: Promise<unknown>) => void): void {
  batch.push(JSON.stringify(line));
  if (batch.length >= BATCH_LINES || !waitUntil) printBatch();
  else if (batch.length === 1) waitUntil(new Promise((resolve) => setTimeout(resolve, BATCH_MS)).then(printBatch));
}

function printBatch(): void {
  if (batch.length === 0) return;
  const lines = batch.join("\n");
  batch = [];
  console.log(lines);
}
