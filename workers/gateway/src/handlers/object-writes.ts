/**
 * The last step of every object write: the metadata goes in atomically (the write condition
 * checked at that instant), then the bytes of the version it replaced are released. If the
 * metadata write fails, the new bytes are discarded: nothing of a rejected request remains.
 */
import type { BlobRef, ObjectRecord, WriteCondition } from "../../../../shared/records";
import { S3Error, isFailure } from "../../../../shared/s3-errors";
import { discard } from "../body/ingest";
import { bucketObject, type S3Context } from "../s3/context";

export async function commitObject(ctx: S3Context, record: ObjectRecord, condition: WriteCondition = {}): Promise<void> {
  let result;
  try {
    result = await bucketObject(ctx).putObject(ctx.caller, record, condition);
  } catch (error) {
    discard(ctx, record.blob);
    throw error;
  }
  if (isFailure(result)) {
    discard(ctx, record.blob);
    throw new S3Error(result.error, result.message);
  }
  release(ctx, result.replaced);
}

/** Bytes no object uses any more; storage-service keeps them readable for a grace period. */
export function release(ctx: S3Context, ...blobs: Array<BlobRef | null>): void {
  const refs = blobs.filter((b): b is BlobRef => b !== null);
  if (refs.length > 0) ctx.waitUntil(ctx.env.STORAGE.release(refs).catch(() => undefined));
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
  if (ifMatch !== null) condition.ifMatch = ifMatch.split(",").map((e) => e.trim()).map((e) => (e === "*" || e.startsWith('"') ? e : `"${e}"`));
  return condition;
}
