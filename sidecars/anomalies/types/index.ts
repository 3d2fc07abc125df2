/** Every anomaly type's module, by the seed's `anomaly_type` name. */
import type { AnomalyType } from "../../../shared/anomalies/anomaly";
import type { AnomalyModule } from "../anomaly-module";
import { cpuSpike } from "./cpu-spike";
import { diskFull } from "./disk-full";
import { memoryLeak } from "./memory-leak";
import { networkStorm } from "./network-storm";
import { serviceDown } from "./service-down";

export const ANOMALY_MODULES: Record<AnomalyType, AnomalyModule> = {
  cpu_spike: cpuSpike,
  memory_leak: memoryLeak,
  disk_full: diskFull,
  network_storm: networkStorm,
  service_down: serviceDown,
};
