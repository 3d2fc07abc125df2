/**
 * The anomalies of the sidecar, saved to `<MOCKS3_DATA_DIR>/anomalies/state.json` at every
 * change (written whole to a temporary file, then renamed over the old one, so a kill at any
 * moment leaves one complete version). A sidecar that starts after one that was killed finds
 * the anomalies that were running then: their modules' leftovers are cleaned, and they are
 * recorded as failed. Pending (disabled) anomalies stay pending.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { writeAtomically } from "../write-atomically.mjs";
import type { Anomaly } from "../../shared/anomalies/anomaly";

interface SavedState {
  /** the sidecar that wrote it */
  pid: number;
  anomalies: Anomaly[];
}

export class StateFile {
  readonly path: string;
  #writes: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = path.join(dataDir, "anomalies", "state.json");
  }

  async load(): Promise<SavedState | undefined> {
    try {
      const saved = JSON.parse(await readFile(this.path, "utf8")) as SavedState;
      return Array.isArray(saved.anomalies) ? saved : undefined;
    } catch {
      return undefined;
    }
  }

  /** Saves after every earlier save; resolves once this one is on disk. */
  save(anomalies: Anomaly[]): Promise<void> {
    const text = JSON.stringify({ pid: process.pid, anomalies } satisfies SavedState);
    const write = this.#writes.then(async () => {
      await writeAtomically(this.path, text);
    });
    this.#writes = write.catch((error: unknown) => console.error(JSON.stringify({ level: "error", msg: "anomaly state not saved", error: String(error) })));
    return write;
  }
}

/** The saved anomalies as the new run takes them over: what was running has failed. */
export function settlePrevious(saved: SavedState | undefined, now = new Date()): Anomaly[] {
  return (saved?.anomalies ?? []).map((anomaly) => {
    if (anomaly.state !== "running") return anomaly;
    const reason = `the sidecar (pid ${saved!.pid}) stopped while this anomaly ran; a restarted sidecar released what it held`;
    return { ...anomaly, state: "failed", ended_at: now.toISOString(), message: anomaly.message ? `${anomaly.message}; ${reason}` : reason };
  });
}
