/**
 * An anomaly's start and end as a structured log line (shared/telemetry/log-line.ts): handed
 * to the stack, which writes the log, when the stack started this sidecar; printed when it
 * runs alone.
 */
import type { Anomaly } from "../../shared/anomalies/anomaly";
import type { AnomalyLogLine } from "../../shared/telemetry/log-line";
import type { SidecarToStack } from "../../shared/telemetry/sidecar-messages";

export function logAnomaly(what: string, anomaly: Anomaly): void {
  const entry: AnomalyLogLine = {
    "@timestamp": new Date().toISOString(),
    kind: "anomaly",
    service: anomaly.service,
    anomaly_id: anomaly.id,
    anomaly_name: anomaly.name,
    anomaly_type: anomaly.anomaly_type,
    metric: anomaly.metric_name,
    target_value: anomaly.target_value,
    state: anomaly.state,
    message: `${what}: ${anomaly.name} (${anomaly.anomaly_type} on ${anomaly.service}, target ${anomaly.target_value})${anomaly.message ? ` — ${anomaly.message}` : ""}`,
  };
  const line = JSON.stringify(entry);
  if (process.send && process.connected) process.send({ type: "log", line } satisfies SidecarToStack);
  else console.log(line);
}
