/** Multipart uploads: what crosses between the gateway and a bucket's Durable Object. */
import type { BlobRef, Checksum, ChecksumAlgorithm, ContentHeaders, NewObject, ObjectLock, ServerSideEncryption, StorageClass, TagSet, Versioning } from "./records";
import type { Acl, AclRequest } from "./access/acl";

export type ChecksumType = "COMPOSITE" | "FULL_OBJECT";

/** What CreateMultipartUpload fixes for the object the upload will become. */
export interface UploadTemplate extends ContentHeaders {
  userMetadata: Record<string, string>;
  tags: TagSet;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: ChecksumType;
  /** absent for STANDARD */
  storageClass?: StorageClass;
  /** the Object Lock the request asked for (the bucket applies its default otherwise) */
  lock?: ObjectLock;
  /** the encryption the request asked for; the bucket's default once the upload is created */
  encryption?: ServerSideEncryption;
  /** the ACL the request asked for; once the upload is created, the ACL the object will have */
  aclRequest?: AclRequest;
  acl?: Acl;
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** quoted */
  etag: string;
  lastModified: number;
  /** every part has a blob of its own, an empty part too (null only in rows from before) */
  blob: BlobRef | null;
  checksum?: Checksum;
  /** SSE-C: the counter value this upload of the part was encrypted under, drawn afresh each time (ctr-cipher.ts) */
  cipherPart?: number;
}

export interface UploadRecord {
  uploadId: string;
  key: string;
  initiated: number;
  template: UploadTemplate;
}

/** ListParts: parts after `after`, at most `maxParts` of them. */
export interface PartsPage {
  upload: UploadRecord;
  parts: PartRecord[];
  isTruncated: boolean;
}

/** ListMultipartUploads: S3's key-marker / upload-id-marker paging, prefix and delimiter. */
export interface UploadsQuery {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  uploadIdMarker: string;
  maxUploads: number;
}

export interface UploadsPage {
  uploads: UploadRecord[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** where the next page starts, when truncated: the last upload, or the last common prefix */
  nextKeyMarker?: string;
  nextUploadIdMarker?: string;
}

/** A part CompleteMultipartUpload uses, named by the blob the gateway saw it with. */
export interface ChosenPart {
  partNumber: number;
  blobId: string | null;
}

/** An upload completed lately: what a retry of its CompleteMultipartUpload answers. */
export interface CompletedUpload {
  key: string;
  /** the part list it was completed with, as the gateway writes it */
  partList: string;
  etag: string;
  checksum: Checksum | null;
  versionId: string;
  versioning: Versioning;
  encryption?: ServerSideEncryption;
  /** the ACL the request asked for; once the upload is created, the ACL the object will have */
  aclRequest?: AclRequest;
  acl?: Acl;
}

/** What CompleteMultipartUpload makes of an upload: a version of its key, from these parts. */
export interface Completion {
  object: NewObject;
  chosen: ChosenPart[];
  /** the part list as requested, for a retry to be recognised by */
  partList: string;
}
