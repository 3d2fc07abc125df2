/** PLACEHOLDER: disk_full is built in its own branch, which replaces this file. */
import type { AnomalyModule } from "../anomaly-module";

export const diskFull: AnomalyModule = {
  async run(): Promise<void> {
    throw new Error("disk_full is not built yet");
  },
};
