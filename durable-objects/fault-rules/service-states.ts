/**
 * The service states in the rule store (shared/faults/service-states.ts): one row per state,
 * keyed `down:<service>` or `disk_full`. A state past its `until` is deleted when the states
 * are next read, so nothing outlives its anomaly even when the sidecar that set it died.
 */
import { and, eq, lte } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { FaultService } from "../../shared/faults/fault-services";
import type { DiskFullState, DownState, ServiceStates } from "../../shared/faults/service-states";
import { serviceStates } from "./schema";

export const DISK_FULL_KEY = "disk_full";

/** A state's row: a service down, or the disk full. */
export type StateKey = `down:${FaultService}` | typeof DISK_FULL_KEY;

/** Deletes the states that have ended; how many there were. */
export function dropEndedStates(db: DrizzleSqliteDODatabase): number {
  return db.delete(serviceStates).where(lte(serviceStates.until, new Date().toISOString())).returning({ key: serviceStates.key }).all().length;
}

/** The states in force, and when the first of them ends (ms; Infinity for none). */
export function readStates(db: DrizzleSqliteDODatabase): { states: ServiceStates; endsAt: number } {
  const states: ServiceStates = { down: {}, disk_full: null };
  let endsAt = Infinity;
  for (const row of db.select().from(serviceStates).all()) {
    endsAt = Math.min(endsAt, Date.parse(row.until));
    if (row.key === DISK_FULL_KEY) states.disk_full = { until: row.until, anomaly_id: row.anomalyId };
    else states.down[row.key.slice("down:".length) as FaultService] = { mode: row.mode as DownState["mode"], until: row.until, anomaly_id: row.anomalyId };
  }
  return { states, endsAt };
}

export function writeState(db: DrizzleSqliteDODatabase, key: StateKey, state: DownState | DiskFullState): void {
  const row = { key, anomalyId: state.anomaly_id, mode: "mode" in state ? state.mode : null, until: state.until };
  db.insert(serviceStates).values(row).onConflictDoUpdate({ target: serviceStates.key, set: row }).run();
}

/** Deletes a state (only if `anomalyId` set it, when given); whether one was deleted. */
export function deleteState(db: DrizzleSqliteDODatabase, key: StateKey, anomalyId?: string): boolean {
  const where = anomalyId === undefined ? eq(serviceStates.key, key) : and(eq(serviceStates.key, key), eq(serviceStates.anomalyId, anomalyId));
  return db.delete(serviceStates).where(where).returning({ key: serviceStates.key }).all().length > 0;
}

export function deleteAllStates(db: DrizzleSqliteDODatabase): number {
  return db.delete(serviceStates).returning({ key: serviceStates.key }).all().length;
}
