/**
 * The services' request and fault metrics (METRICS.md), counted from the log lines the
 * stack hands over in batches (shared/telemetry/sidecar-messages.ts): a request line counts
 * a request, its duration and bytes; a fault line counts an injection; a delivery line a
 * webhook delivery attempt; an experiment line whether one runs, and how it ended. Lines that do not
 * parse or are of another kind are passed over.
 */
import { Counter, Gauge, Histogram, type Registry } from "prom-client";
import { parseLogLine, type DeliveryLogLine, type ExperimentLogLine, type FaultLogLine, type LogLine, type RequestLogLine } from "../../shared/telemetry/log-line";
import type { TelemetryBatch } from "../../shared/telemetry/sidecar-messages";

/** seconds: from a cached 1 ms answer to a held request */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** `ingest`: counts a batch's lines, and hands each parsed line to `each` (the console's live feed); `requestCounts`: http_requests_total as it stands. */
export function requestMetrics(registry: Registry) {
  const registers = [registry];
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by service, method, operation (S3 operation or route) and status",
    labelNames: ["service", "method", "operation", "status"] as const,
    registers,
  });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "time from a request's arrival in its worker to its response headers",
    labelNames: ["service", "method", "operation"] as const,
    buckets: DURATION_BUCKETS,
    registers,
  });
  const bytesIn = new Counter({
    name: "http_request_bytes_total",
    help: "request body bytes received (the decoded length of aws-chunked uploads)",
    labelNames: ["service", "operation"] as const,
    registers,
  });
  const bytesOut = new Counter({ name: "http_response_bytes_total", help: "response body bytes, as declared by Content-Length", labelNames: ["service", "operation"] as const, registers });
  const injections = new Counter({
    name: "mocks3_fault_injections_total",
    help: "faults injected, by the service whose gate injected them, rule name and action type",
    labelNames: ["service", "rule", "action"] as const,
    registers,
  });
  const deliveries = new Counter({
    name: "mocks3_notification_deliveries_total",
    help: "webhook delivery attempts of object events, by outcome: delivered, retrying (failed, tried again later), dead_lettered (failed for the last time)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const experiments = new Counter({
    name: "mocks3_experiments_total",
    help: "experiments ended, by status (completed, stopped, aborted) and verdict (passed, failed)",
    labelNames: ["status", "verdict"] as const,
    registers,
  });
  // every way a run can end, at 0 until one does: a dashboard's rate has data from the start
  for (const [status, verdict] of [
    ["completed", "passed"],
    ["completed", "failed"],
    ["stopped", "failed"],
    ["aborted", "failed"],
  ] as const)
    experiments.inc({ status, verdict }, 0);
  const experimentRunning = new Gauge({ name: "mocks3_experiment_running", help: "1 while an experiment runs, else 0", registers });
  const connections = new Gauge({ name: "mocks3_front_door_connections", help: "client connections open on the S3 front door", registers });

  function request(line: RequestLogLine): void {
    const { service, method, operation } = line;
    requests.inc({ service, method, operation, status: String(line.status) });
    duration.observe({ service, method, operation }, line.duration_ms / 1000);
    if (line.bytes_in > 0) bytesIn.inc({ service, operation }, line.bytes_in);
    if (line.bytes_out > 0) bytesOut.inc({ service, operation }, line.bytes_out);
  }

  function fault(line: FaultLogLine): void {
    injections.inc({ service: line.service, rule: line.fault_rule, action: line.fault_action });
  }

  function delivery(line: DeliveryLogLine): void {
    deliveries.inc({ outcome: line.outcome });
  }

  function experiment(line: ExperimentLogLine): void {
    if (line.status === "running") {
      experimentRunning.set(1);
      return;
    }
    experimentRunning.set(0);
    // the line of its end: its event is its status
    if (line.event === line.status) experiments.inc({ status: line.status, verdict: line.verdict });
  }

  return {
    ingest(batch: TelemetryBatch, each?: (line: LogLine) => void): void {
      connections.set(batch.frontDoorConnections);
      for (const text of batch.lines) {
        const line = parseLogLine(text);
        if (line?.kind === "request") request(line);
        else if (line?.kind === "fault") fault(line);
        else if (line?.kind === "delivery") delivery(line);
        else if (line?.kind === "experiment") experiment(line);
        if (line && each) each(line);
      }
    },
    async requestCounts() {
      return (await requests.get()).values;
    },
  };
}
