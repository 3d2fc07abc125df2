/** PLACEHOLDER: network_storm is built in its own branch, which replaces this file. */
import type { AnomalyModule } from "../anomaly-module";

export const networkStorm: AnomalyModule = {
  async run(): Promise<void> {
    throw new Error("network_storm is not built yet");
  },
};
