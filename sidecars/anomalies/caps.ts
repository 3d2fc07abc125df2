/**
 * Hard caps on what an anomaly may take, so that none can harm the machine. Each is set by an
 * environment variable; a request above a cap is refused (duration) or clamped (the others),
 * and the anomaly's message says so.
 */
export interface Caps {
  /** MOCKS3_ANOMALY_MAX_CPU_PERCENT: the most CPU (percent of all cores) an anomaly may add */
  maxCpuPercent: number;
  /** MOCKS3_ANOMALY_MAX_MEMORY_BYTES */
  maxMemoryBytes: number;
  /** MOCKS3_ANOMALY_MAX_DISK_BYTES: the most ballast written */
  maxDiskBytes: number;
  /** MOCKS3_ANOMALY_MIN_FREE_DISK_BYTES: free space never taken below this */
  minFreeDiskBytes: number;
  /** MOCKS3_ANOMALY_MAX_CONNECTIONS */
  maxConnections: number;
  /** MOCKS3_ANOMALY_MAX_DURATION_MS */
  maxDurationMs: number;
}
