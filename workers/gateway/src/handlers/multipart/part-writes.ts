/**
 * What UploadPart and UploadPartCopy share: S3's part limits, the `uploadId` and `partNumber`
 * parameters, and storing a part's record — whose blob is discarded if the upload ended
 * while the bytes were on their way, and whose predecessor (a part number uploaded again)
 * is released.
 */
import type { PartRecord } from "../../../../../shared/uploads";
import { S3Error, isFailure } from "../../../../../shared/s3-errors";
import { discard } from "../../body/ingest";
import { bucketObject, type S3Context } from "../../s3/context";
import { release } from "../object-writes";

/** S3's limits: parts of 5 MiB (all but the last) to 5 GiB, numbered 1 to 10,000. */
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PART_NUMBER = 10_000;

/** `uploadId`: an empty one names no upload. */
export function uploadIdOf(query: URLSearchParams): string {
  const uploadId = query.get("uploadId");
  if (!uploadId) throw new S3Error("NoSuchUpload");
  return uploadId;
}

/** `partNumber`: an integer from 1 to 10,000, else InvalidArgument. */
export function partNumberOf(query: URLSearchParams): number {
  const value = query.get("partNumber") ?? "";
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n < 1 || n > MAX_PART_NUMBER) {
    throw new S3Error("InvalidArgument", `Part number must be an integer between 1 and ${MAX_PART_NUMBER}, inclusive`, { ArgumentName: "partNumber", ArgumentValue: value });
  }
  return n;
}

/** Records a part whose bytes are stored; nothing of it remains if that fails. */
export async function storePart(ctx: S3Context, uploadId: string, part: PartRecord): Promise<void> {
  const blobs = part.blob ? [part.blob] : [];
  let stored: Awaited<ReturnType<ReturnType<typeof bucketObject>["putPart"]>>;
  try {
    stored = await bucketObject(ctx).putPart(ctx.caller, uploadId, ctx.key, part);
  } catch (error) {
    discard(ctx, blobs);
    throw error;
  }
  if (isFailure(stored)) {
    discard(ctx, blobs);
    throw new S3Error(stored.error, stored.message);
  }
  release(ctx, stored.released);
}
