/**
 * RestoreObject on an archived version (GLACIER, DEEP_ARCHIVE): what a request does to the
 * version's restore, as S3 answers it. The restore's times are kept, not timers: a version is
 * readable while `readyAt <= now < expiresAt`, so a restore survives restarts and ends by
 * itself.
 *
 *   no restore, or one expired → a new one: 202 Accepted, readable after the tier's wait
 *   one still in progress      → 409 RestoreAlreadyInProgress
 *   one readable now           → its expiry moved to `days` from now: 200 OK
 */
import type { ObjectRecord, RestoreState, RestoreTier } from "../../shared/records";
import type { Failure } from "../../shared/s3-errors";
import { isArchived } from "../../shared/storage-classes";

export interface RestoreRequest {
  tier: RestoreTier;
  days: number;
  /** how long this tier takes for this version's class */
  waitMs: number;
  /** how long a day of `days` lasts (MOCKS3_LIFECYCLE_DAY_SECONDS) */
  dayMs: number;
}

export interface RestoreAnswer {
  /** "accepted": a restore has begun (202); "extended": the restored copy lasts longer (200) */
  outcome: "accepted" | "extended";
  versionId: string;
  restore: RestoreState;
}

export function nextRestore(version: ObjectRecord, request: RestoreRequest, now: number): RestoreState | Failure {
  if (!isArchived(version)) {
    return { error: "InvalidObjectState", message: "Restore is not allowed for the object's current storage class" };
  }
  const current = version.restore;
  if (current && now < current.readyAt) return { error: "RestoreAlreadyInProgress" };
  const lasting = request.days * request.dayMs;
  if (current && now < current.expiresAt) return { ...current, days: request.days, expiresAt: now + lasting };
  const readyAt = now + request.waitMs;
  return { tier: request.tier, days: request.days, requestedAt: now, readyAt, expiresAt: readyAt + lasting };
}
