/**
 * What each anomaly type is: a module that drives its metric toward the target until told to
 * stop, then undoes everything it did. The runner (the sidecar's core) owns the lifecycle —
 * start, the duration timer, cancel, halt — and calls `run` once per anomaly.
 */
import type { AnomalyInput } from "../../shared/anomalies/anomaly";
import type { Caps } from "./caps";

export interface AnomalyContext {
  id: string;
  spec: AnomalyInput;
  caps: Caps;
  /** aborted at the duration's end, on cancel and on halt: stop and clean up */
  signal: AbortSignal;
  /** the latest measured value of the anomaly's metric (shown by the API and on /metrics) */
  report(actual: number): void;
  /**
   * What the anomaly holds right now of a resource (memory bytes touched, ballast bytes
   * written, connections open), summed per service on /metrics; the runner sets it back to 0
   * when the anomaly ends.
   */
  hold(resource: HeldResource, amount: number): void;
  /** a remark shown in the anomaly's `message`, e.g. that a cap clamped the target at run time */
  note(message: string): void;
  /** the stack's data directory (the filesystem that holds the stored objects) */
  dataDir: string;
  /** each service's base URL on loopback, by service name */
  services: Record<string, string>;
  /** mock-error-service's base URL, for service states (service_down, disk_full) */
  mockErrorUrl: string;
}

export type HeldResource = "memory_bytes" | "ballast_bytes" | "connections";

export interface AnomalyModule {
  /** Runs until `ctx.signal` aborts, then undoes its effect; resolves once all is released. */
  run(ctx: AnomalyContext): Promise<void>;
  /** Removes what a killed sidecar left behind (ballast files, service states); run at start. */
  cleanLeftovers?(dataDir: string, mockErrorUrl: string): Promise<void>;
}
