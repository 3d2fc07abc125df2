/**
 * Before a sidecar serves, each anomaly type removes what a previous sidecar that was killed
 * may have left (ballast files, service states). Threads and memory need nothing: they died
 * with that process. A module that fails to clean is reported on /health, not fatal: the
 * sidecar still serves, so that the failure can be seen and the anomaly API still answers.
 */
import type { AnomalyType } from "../../shared/anomalies/anomaly";
import type { AnomalyModule } from "./anomaly-module";

export interface LeftoverReport {
  status: "ok" | "degraded";
  leftovers: "cleaned" | string[];
}

export async function cleanLeftovers(modules: Record<AnomalyType, AnomalyModule>, dataDir: string, mockErrorUrl: string): Promise<LeftoverReport> {
  const failures: string[] = [];
  for (const [type, module] of Object.entries(modules)) {
    if (!module.cleanLeftovers) continue;
    try {
      await module.cleanLeftovers(dataDir, mockErrorUrl);
    } catch (error) {
      failures.push(`${type}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (failures.length > 0) console.error(JSON.stringify({ level: "error", msg: "leftovers of an earlier run not cleaned", failures }));
  return failures.length > 0 ? { status: "degraded", leftovers: failures } : { status: "ok", leftovers: "cleaned" };
}
