/**
 * One Durable Object per bucket (named by the bucket): the bucket's owner, region and
 * settings (bucket-settings.ts), every version of its objects, and its multipart uploads.
 * Every method checks the caller against the owner first, so an object request costs one
 * call here. Small objects keep their bytes in their row, so a GET or PUT of one is this one
 * call. A method's writes happen in one synchronous turn, which workerd commits atomically;
 * object writes that arrive together share one turn and one commit (group-commit.ts). The
 * blobs a write frees are handed back for storage-service to release.
 *
 * The object is built in layers, one concept each: its state, the bucket-level calls and the
 * shared helpers (bucket-base.ts), the object calls (bucket-objects.ts), and here the
 * multipart uploads.
 */
import type { BlobRef, Caller, WriteCondition, WriteOutcome } from "../../shared/records";
import { isFailure, type Failure } from "../../shared/s3-errors";
import type { CompletedUpload, Completion, PartRecord, PartsPage, UploadRecord, UploadsPage, UploadsQuery, UploadTemplate } from "../../shared/uploads";
import { BucketObjects } from "./bucket-objects";
import { objectAclFor } from "./acls";
import { listUploads } from "./upload-listing";

export type { DeleteEntry, DeleteResult, ReadOptions } from "./bucket-base";

export class BucketDO extends BucketObjects {
  /** whose state this is, in traces */
  static readonly service = "metadata-service";

  // Multipart uploads: the rows in uploads.ts, the listing in upload-listing.ts.

  createUpload(caller: Caller, key: string, requested: UploadTemplate): UploadRecord | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const { encryption: asked, aclRequest, acl: _ignored, ...template } = requested;
    const encryption = this.encryptionFor(asked);
    const acl = objectAclFor(aclRequest, caller.ownerId, this.aclSetting());
    if (isFailure(acl)) return acl;
    return this.uploads.create(key, { ...template, ...(encryption ? { encryption } : {}), ...(acl ? { acl } : {}) }, Date.now());
  }

  /** An upload of `key` in this bucket; an id of another bucket or key is NoSuchUpload. */
  getUpload(caller: Caller, uploadId: string, key: string): UploadRecord | Failure {
    return this.guard(caller) ?? this.uploads.find(uploadId, key) ?? { error: "NoSuchUpload" };
  }

  /** UploadPart: stores the part unless the upload ended meanwhile; hands back a replaced part's blob. */
  putPart(caller: Caller, uploadId: string, key: string, part: PartRecord): { released: BlobRef[] } | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : { released: this.uploads.putPart(uploadId, part) };
  }

  listParts(caller: Caller, uploadId: string, key: string, after: number, maxParts: number): PartsPage | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : this.uploads.listParts(upload, after, maxParts);
  }

  /**
   * Every part of an upload, for the gateway to check and sum up a CompleteMultipartUpload;
   * for an upload completed lately, what it was completed with (a retry).
   */
  uploadParts(caller: Caller, uploadId: string, key: string): { upload: UploadRecord; parts: PartRecord[] } | { completed: CompletedUpload } | Failure {
    const found = this.uploadOrCompleted(caller, uploadId, key);
    return isFailure(found) || "completed" in found ? found : { upload: found, parts: this.uploads.allParts(uploadId) };
  }

  /**
   * CompleteMultipartUpload: `object` (the chosen parts' blobs in order) becomes a version of
   * its key, the upload ends, and the blobs of parts left out are handed back — in one turn,
   * and only if the chosen parts are still those the gateway checked. A second completion
   * with the same part list, racing the first, gets the first one's outcome.
   */
  completeUpload(caller: Caller, uploadId: string, { object, chosen, partList }: Completion, condition: WriteCondition = {}): WriteOutcome | Failure {
    const found = this.uploadOrCompleted(caller, uploadId, object.key);
    if (isFailure(found)) return found;
    if ("completed" in found) {
      const { versionId, versioning, partList: completedWith, encryption } = found.completed;
      return completedWith === partList ? { versionId, versioning, released: [], ...(encryption ? { encryption } : {}) } : { error: "NoSuchUpload" };
    }
    if (!this.uploads.stillChosen(uploadId, chosen)) return { error: "InvalidPart" };
    const change = this.writeVersion(caller, object, condition, "CompleteMultipartUpload");
    if (isFailure(change)) return change;
    const versioning = this.info!.versioning;
    const unused = this.uploads.remove(uploadId, new Set(object.blobs.map((b) => b.id)));
    const encryption = change.encryption ? { encryption: change.encryption } : {};
    this.uploads.rememberCompleted(uploadId, { key: object.key, partList, etag: object.etag, checksum: object.checksum ?? null, versionId: change.versionId, versioning, ...encryption });
    return { versionId: change.versionId, versioning, released: [...change.released, ...unused], ...encryption };
  }

  abortUpload(caller: Caller, uploadId: string, key: string): { released: BlobRef[] } | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : { released: this.uploads.remove(uploadId) };
  }

  listUploads(caller: Caller, query: UploadsQuery): UploadsPage | Failure {
    return this.guard(caller) ?? listUploads(this.db, query);
  }
}
