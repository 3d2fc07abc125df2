/**
 * Object Lock on the S3 side: the lock a write asks for (`x-amz-object-lock-mode`,
 * `-retain-until-date`, `-legal-hold`, checked as S3 checks them), the headers GET and HEAD
 * answer with, and `x-amz-bypass-governance-retention`. The bucket decides the rest
 * (durable-objects/bucket/object-locks.ts): its default retention, and what a lock refuses.
 */
import type { ObjectLock, ObjectRecord, RetentionMode } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";

const MODES: readonly RetentionMode[] = ["GOVERNANCE", "COMPLIANCE"];

/** The lock a write's headers ask for; undefined when they ask for none. */
export function lockFromHeaders(headers: Headers, now = Date.now()): ObjectLock | undefined {
  const mode = headers.get("x-amz-object-lock-mode");
  const until = headers.get("x-amz-object-lock-retain-until-date");
  const hold = headers.get("x-amz-object-lock-legal-hold");
  if (mode === null && until === null && hold === null) return undefined;
  if ((mode === null) !== (until === null)) throw new S3Error("InvalidArgument", "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
  const lock: ObjectLock = {};
  if (mode !== null && until !== null) lock.retention = retentionOf(mode, until, now);
  if (hold !== null) {
    if (hold !== "ON" && hold !== "OFF") throw new S3Error("InvalidArgument", "Legal Hold must be either of 'ON' or 'OFF'", { ArgumentName: "x-amz-object-lock-legal-hold", ArgumentValue: hold });
    if (hold === "ON") lock.legalHold = true;
  }
  // S3 wants the body's integrity checked when it is to be locked
  if (!headers.has("content-md5") && ![...headers.keys()].some((name) => name.startsWith("x-amz-checksum-") || name === "x-amz-sdk-checksum-algorithm")) {
    throw new S3Error("InvalidRequest", "Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters");
  }
  return lock;
}

/** A retention's mode and date (ISO 8601), which must lie ahead. */
export function retentionOf(mode: string, until: string, now = Date.now()): { mode: RetentionMode; until: number } {
  if (!MODES.includes(mode as RetentionMode)) throw new S3Error("InvalidArgument", "Unknown wormMode directive.", { ArgumentName: "x-amz-object-lock-mode", ArgumentValue: mode });
  const at = Date.parse(until);
  if (Number.isNaN(at))
    throw new S3Error("InvalidArgument", "The retain until date must be provided in ISO 8601 format", { ArgumentName: "x-amz-object-lock-retain-until-date", ArgumentValue: until });
  if (at <= now) throw new S3Error("InvalidArgument", "The retain until date must be in the future!", { ArgumentName: "x-amz-object-lock-retain-until-date", ArgumentValue: until });
  return { mode: mode as RetentionMode, until: at };
}

/** GET's and HEAD's Object Lock headers. */
export function lockHeaders(record: ObjectRecord): Record<string, string> {
  const lock = record.lock;
  if (!lock) return {};
  const headers: Record<string, string> = {};
  if (lock.retention) {
    headers["x-amz-object-lock-mode"] = lock.retention.mode;
    headers["x-amz-object-lock-retain-until-date"] = new Date(lock.retention.until).toISOString();
  }
  if (lock.legalHold) headers["x-amz-object-lock-legal-hold"] = "ON";
  return headers;
}

export function bypassesGovernance(headers: Headers): boolean {
  return headers.get("x-amz-bypass-governance-retention")?.toLowerCase() === "true";
}
