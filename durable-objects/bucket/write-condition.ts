/** Conditional writes against a key's latest version: `If-None-Match: *` (create only) and `If-Match`. */
import type { WriteCondition } from "../../shared/records";
import type { Failure } from "../../shared/s3-errors";
import type { VersionRows } from "./version-rows";

export function checkWriteCondition(rows: VersionRows, key: string, condition: WriteCondition): Failure | undefined {
  if (condition.ifNoneMatch === undefined && condition.ifMatch === undefined) return undefined;
  const latest = rows.latest(key, false);
  const current = latest && !latest.deleteMarker ? latest : undefined;
  if (condition.ifNoneMatch === "*" && current) return { error: "PreconditionFailed" };
  if (condition.ifMatch) {
    if (!current) return { error: "NoSuchKey" };
    if (!condition.ifMatch.includes("*") && !condition.ifMatch.includes(current.etag)) return { error: "PreconditionFailed" };
  }
  return undefined;
}
