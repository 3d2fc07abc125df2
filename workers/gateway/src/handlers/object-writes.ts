/**
 * The last step of every object write: the version goes in atomically (the write condition
 * checked at that instant), then the bytes of whatever it replaced are released. If the
 * metadata write fails, the new bytes are discarded: nothing of a rejected request remains.
 */
import type { CreatedBy } from "../../../../shared/notifications/object-events";
import type { BlobRef, NewObject, WriteCondition, WriteOutcome } from "../../../../shared/records";
import { S3Error, isFailure } from "../../../../shared/s3-errors";
import { discard } from "../body/ingest";
import { bucketObject, type S3Context } from "../s3/context";

export async function commitObject(ctx: S3Context, object: NewObject, condition: WriteCondition = {}, createdBy: CreatedBy = "Put"): Promise<WriteOutcome> {
  let outcome: Awaited<ReturnType<ReturnType<typeof bucketObject>["putObject"]>>;
  try {
    outcome = await bucketObject(ctx).putObject(ctx.caller, object, condition, createdBy);
  } catch (error) {
    discard(ctx, object.blobs);
    throw error;
  }
  if (isFailure(outcome)) {
    discard(ctx, object.blobs);
    throw new S3Error(outcome.error, outcome.message, {}, outcome.headers);
  }
  release(ctx, outcome.released);
  return outcome;
}

/** Bytes no object uses any more; storage-service keeps them readable for a grace period. */
export function release(ctx: S3Context, blobs: BlobRef[]): void {
  if (blobs.length > 0) ctx.waitUntil(ctx.env.STORAGE.release(blobs).catch(() => undefined));
}

/** `x-amz-version-id` (and `x-amz-delete-marker`) as S3 answers a write in a versioned bucket. */
export function versionHeaders(outcome: Pick<WriteOutcome, "versionId" | "versioning" | "deleteMarker">): Record<string, string> {
  const headers: Record<string, string> = {};
  if (outcome.versioning !== "Unversioned") headers["x-amz-version-id"] = outcome.versionId;
  if (outcome.deleteMarker) headers["x-amz-delete-marker"] = "true";
  return headers;
}

/** Conditional writes: `If-None-Match: *` (create only) and `If-Match: <etag>`. */
export function writeConditionOf(headers: Headers): WriteCondition {
  const condition: WriteCondition = {};
  const ifNoneMatch = headers.get("if-none-match");
  if (ifNoneMatch !== null) {
    if (ifNoneMatch.trim() !== "*") throw new S3Error("NotImplemented", "If-None-Match on a write only supports *.", { Header: "If-None-Match" });
    condition.ifNoneMatch = "*";
  }
  const ifMatch = headers.get("if-match");
  if (ifMatch !== null)
    condition.ifMatch = ifMatch
      .split(",")
      .map((e) => e.trim())
      .map((e) => (e === "*" || e.startsWith('"') ? e : `"${e}"`));
  return condition;
}
