/**
 * Storage classes on the S3 side: `x-amz-storage-class` on writes (validated as S3 does),
 * the headers GET and HEAD answer with (`x-amz-storage-class`, absent for STANDARD, and
 * `x-amz-restore`), and the refusal of an archived version's bytes until it is restored.
 */
import { STORAGE_CLASSES, type ObjectRecord, type StorageClass } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { isArchived, readable } from "../../../../shared/storage-classes";

/** The class a write asks for; undefined for STANDARD or none. */
export function storageClassFrom(headers: Headers): StorageClass | undefined {
  const value = headers.get("x-amz-storage-class");
  if (value === null) return undefined;
  const named = STORAGE_CLASSES.find((c) => c === value.trim());
  if (!named) throw new S3Error("InvalidStorageClass", undefined, { StorageClassRequested: value });
  return named === "STANDARD" ? undefined : named;
}

/** `x-amz-storage-class` and `x-amz-restore`, as GET and HEAD answer them. */
export function storageClassHeaders(record: ObjectRecord, now: number): Record<string, string> {
  const headers: Record<string, string> = {};
  if (record.storageClass) headers["x-amz-storage-class"] = record.storageClass;
  const restore = record.restore;
  if (!restore || !isArchived(record) || now >= restore.expiresAt) return headers;
  headers["x-amz-restore"] = now < restore.readyAt ? 'ongoing-request="true"' : `ongoing-request="false", expiry-date="${new Date(restore.expiresAt).toUTCString()}"`;
  return headers;
}

/** Refuses to read an archived version's bytes (GetObject, CopyObject's and UploadPartCopy's source) unless restored. */
export function assertReadable(record: ObjectRecord, now = Date.now()): void {
  if (readable(record, now)) return;
  throw new S3Error("InvalidObjectState", undefined, { StorageClass: record.storageClass! });
}
