/**
 * Object Lock, as the bucket enforces it: the lock a new version gets (the request's, else the
 * bucket's default retention), and whether a lock refuses a permanent delete of a version or a
 * change of its retention. A lock only ever guards versions; a delete without a version id
 * adds a delete marker and is never refused. Days of a default retention are days of
 * MOCKS3_LIFECYCLE_DAY_SECONDS, as every other S3 day here.
 *
 *   legal hold on             → no delete, whatever the retention
 *   COMPLIANCE until a time   → no delete and no shorter or weaker retention until then
 *   GOVERNANCE until a time   → the same, unless the request bypasses governance retention
 */
import type { LockChange, ObjectLock, RetentionMode } from "../../shared/records";
import type { Failure } from "../../shared/s3-errors";

export interface LockSettings {
  enabled: boolean;
  defaultRetention?: { mode: RetentionMode; days: number };
}

export type Retention = NonNullable<ObjectLock["retention"]>;

const PROTECTED: Failure = { error: "AccessDenied", message: "Access Denied because object protected by object lock." };
const MISSING: Failure = { error: "InvalidRequest", message: "Bucket is missing Object Lock Configuration" };

/** The bucket's Object Lock configuration, from its stored document. */
export function lockSettings(stored: string | null | undefined): LockSettings {
  if (!stored) return { enabled: false };
  const document = JSON.parse(stored) as { ObjectLockEnabled?: string; Rule?: { DefaultRetention?: { Mode?: RetentionMode; Days?: string; Years?: string } } };
  const retention = document.Rule?.DefaultRetention;
  const settings: LockSettings = { enabled: document.ObjectLockEnabled === "Enabled" };
  if (retention?.Mode) settings.defaultRetention = { mode: retention.Mode, days: retention.Days ? Number(retention.Days) : Number(retention.Years) * 365 };
  return settings;
}

/** The lock a new version gets; a request asking for one in a bucket without Object Lock is refused. */
export function lockForWrite(requested: ObjectLock | undefined, settings: LockSettings, now: number, dayMs: number): ObjectLock | undefined | Failure {
  if (!settings.enabled) return requested ? MISSING : undefined;
  const lock: ObjectLock = {};
  const fallback = settings.defaultRetention;
  const retention = requested?.retention ?? (fallback && { mode: fallback.mode, until: now + fallback.days * dayMs });
  if (retention) lock.retention = retention;
  if (requested?.legalHold) lock.legalHold = true;
  return lock.retention || lock.legalHold ? lock : undefined;
}

/** Why a version may not be deleted for good now, if it may not. */
export function deleteRefusal(lock: ObjectLock | undefined, now: number, bypassGovernance: boolean): Failure | undefined {
  if (lock?.legalHold) return PROTECTED;
  const retention = lock?.retention;
  if (!retention || retention.until <= now) return undefined;
  return retention.mode === "GOVERNANCE" && bypassGovernance ? undefined : PROTECTED;
}

/** A version's lock after `change` (undefined: none left), or why the change is refused. */
export function changedLock(settings: LockSettings, current: ObjectLock | undefined, change: LockChange, now: number, bypassGovernance: boolean): ObjectLock | undefined | Failure {
  if (!settings.enabled) return MISSING;
  const lock: ObjectLock = { ...current };
  if (change.retention !== undefined) {
    const refused = retentionRefusal(current, change.retention ?? undefined, now, bypassGovernance);
    if (refused) return refused;
    if (change.retention) lock.retention = change.retention;
    else delete lock.retention;
  }
  if (change.legalHold !== undefined) {
    if (change.legalHold) lock.legalHold = true;
    else delete lock.legalHold;
  }
  return lock.retention || lock.legalHold ? lock : undefined;
}

/** Whether `next` (none: removed) may replace a version's retention. */
function retentionRefusal(current: ObjectLock | undefined, next: Retention | undefined, now: number, bypassGovernance: boolean): Failure | undefined {
  const active = current?.retention && current.retention.until > now ? current.retention : undefined;
  if (!active) return undefined;
  const weaker = !next || next.until < active.until || (active.mode === "COMPLIANCE" && next.mode !== "COMPLIANCE");
  if (!weaker) return undefined;
  return active.mode === "GOVERNANCE" && bypassGovernance ? undefined : PROTECTED;
}
