/**
 * RestoreObject on an archived version (GLACIER, DEEP_ARCHIVE): what a request does to the
 * version's restore, as S3 answers it. The restore's times are kept, not timers: a version is
 * readable while `readyAt <= now < expiresAt`, so a restore survives restarts and ends by
 * itself.
 *
 *   no restore, or one expired → a new one: 202 Accepted, readable after the tier's wait
 *   one still in progress      → 409 RestoreAlreadyInProgress
 *   one readable now           → its expiry moved to `days` from now: 200 OK
 *
 * The wait is MOCKS3_RESTORE_SECONDS for a GLACIER version at the Standard tier, a fifth of it
 * Expedited and four times it Bulk, twice as long for DEEP_ARCHIVE (which has no Expedited
 * tier), so that a test sees a thaw in seconds where S3 takes hours.
 */
import type { ObjectRecord, RestoreState, RestoreTier, StorageClass } from "../../shared/records";
import type { Failure } from "../../shared/s3-errors";
import { isArchived } from "../../shared/storage-classes";

export interface RestoreRequest {
  tier: RestoreTier;
  days: number;
  /** how long a GLACIER version takes at the Standard tier (MOCKS3_RESTORE_SECONDS) */
  restoreMs: number;
  /** how long a day of `days` lasts (MOCKS3_LIFECYCLE_DAY_SECONDS) */
  dayMs: number;
}

export interface RestoreAnswer {
  /** "accepted": a restore has begun (202); "extended": the restored copy lasts longer (200) */
  outcome: "accepted" | "extended";
  versionId: string;
  /** the bucket has had versioning enabled: the answer names the version */
  versioned: boolean;
  restore: RestoreState;
}

const TIER_FACTOR: Record<RestoreTier, number> = { Expedited: 0.2, Standard: 1, Bulk: 4 };

export function nextRestore(version: ObjectRecord, request: RestoreRequest, now: number): RestoreState | Failure {
  if (!isArchived(version)) {
    return { error: "InvalidObjectState", message: "Restore is not allowed for the object's current storage class" };
  }
  if (version.storageClass === "DEEP_ARCHIVE" && request.tier === "Expedited") {
    return { error: "InvalidArgument", message: "Expedited retrievals are not available for objects in the DEEP_ARCHIVE storage class." };
  }
  const current = version.restore;
  if (current && now < current.readyAt) return { error: "RestoreAlreadyInProgress" };
  const lasting = request.days * request.dayMs;
  if (current && now < current.expiresAt) return { ...current, days: request.days, expiresAt: now + lasting };
  const readyAt = now + waitFor(version.storageClass, request);
  return { tier: request.tier, days: request.days, requestedAt: now, readyAt, expiresAt: readyAt + lasting };
}

function waitFor(storageClass: StorageClass | undefined, { tier, restoreMs }: RestoreRequest): number {
  return restoreMs * TIER_FACTOR[tier] * (storageClass === "DEEP_ARCHIVE" ? 2 : 1);
}
