/**
 * The disk full (disk_full anomaly: real ballast fills the data directory's filesystem), as
 * the services live it: every write of object bytes fails, reads and deletes go on.
 *
 * Real S3 never runs out of room, so it has no code for this; MinIO answers 507
 * XMinioStorageFull, which no AWS SDK knows. MockS3 answers 503 ServiceUnavailable — what S3
 * answers when it cannot take a request now, and what storage-service already answers when
 * its nodes have no room (workers/storage-service/src/shortage.ts): SDKs parse it and retry
 * it, as they would a real store that is briefly out of space, and a full disk looks the same
 * whichever way it came. The message and the `x-mocks3-anomaly` header say which anomaly.
 *
 * The gateway refuses the writing operations before reading their bodies (objects up to
 * MOCKS3_INLINE_MAX_BYTES are kept with their metadata, never reaching storage-service);
 * storage-service refuses its own write calls too, at its boundary.
 */
import type { Operation } from "../s3-operations";
import { S3Error, type Failure } from "../s3-errors";
import { ANOMALY_HEADER, type DiskFullState } from "./service-states";

/** The S3 operations that store object bytes. */
export const BYTE_WRITES: ReadonlySet<Operation> = new Set<Operation>(["PutObject", "UploadPart", "UploadPartCopy", "CopyObject", "CompleteMultipartUpload"]);

function diskFullMessage(full: DiskFullState): string {
  return `Insufficient storage: the disk is full (disk_full anomaly ${full.anomaly_id}) until ${full.until}.`;
}

export function diskFullS3Error(full: DiskFullState): S3Error {
  return new S3Error("ServiceUnavailable", diskFullMessage(full), {}, { [ANOMALY_HEADER]: full.anomaly_id });
}

export function diskFullFailure(full: DiskFullState): Failure {
  return { error: "ServiceUnavailable", message: diskFullMessage(full), headers: { [ANOMALY_HEADER]: full.anomaly_id } };
}
