/** PLACEHOLDER: service_down is built in its own branch, which replaces this file. */
import type { AnomalyModule } from "../anomaly-module";

export const serviceDown: AnomalyModule = {
  async run(): Promise<void> {
    throw new Error("service_down is not built yet");
  },
};
