/**
 * The values that cross worker and Durable Object boundaries. Everything here is plain data
 * (structured-clone friendly), so it travels over RPC unchanged.
 */
import type { AccessRequest } from "./access/access-request";
import type { Acl, AclRequest } from "./access/acl";
import type { EventOrigin } from "./notifications/object-events";

/** Bytes on storage-service: a blob, held by one or more storage nodes (its replicas). */
export interface BlobRef {
  id: string;
  size: number;
  /** the nodes that hold a copy, the preferred one first */
  nodes: string[];
}

export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** base64, as S3 sends it in `x-amz-checksum-*` (with `-N` for a composite checksum) */
  value: string;
  /** how a multipart object's checksum was formed; absent for a single PUT (full object) */
  type?: "COMPOSITE" | "FULL_OBJECT";
}

/** The standard content headers S3 stores with an object and returns on GET/HEAD. */
export interface ContentHeaders {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

/** Each content header's field and its HTTP header name. */
export const CONTENT_HEADERS: ReadonlyArray<readonly [keyof ContentHeaders, string]> = [
  ["contentType", "content-type"],
  ["contentEncoding", "content-encoding"],
  ["contentDisposition", "content-disposition"],
  ["contentLanguage", "content-language"],
  ["cacheControl", "cache-control"],
  ["expires", "expires"],
];

export type TagSet = Array<{ key: string; value: string }>;

/** "Unversioned" until versioning is first enabled; never again after that. */
export type Versioning = "Unversioned" | "Enabled" | "Suspended";

/** The version id of the version written while versioning is not enabled. */
export const NULL_VERSION = "null";

/** S3's storage classes; an object written without one is STANDARD. */
export const STORAGE_CLASSES = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];

export type RestoreTier = "Expedited" | "Standard" | "Bulk";

/** A restore of an archived version: requested, readable from `readyAt` until `expiresAt` (ms since the epoch). */
export interface RestoreState {
  tier: RestoreTier;
  days: number;
  requestedAt: number;
  readyAt: number;
  expiresAt: number;
  /** the last of its events sent: ObjectRestore:Completed once ready, ObjectRestore:Delete once expired */
  announced?: "completed" | "expired";
}

export type RetentionMode = "GOVERNANCE" | "COMPLIANCE";

/** A version's Object Lock: a retention until a time (ms since the epoch), a legal hold, or both. */
export interface ObjectLock {
  retention?: { mode: RetentionMode; until: number };
  legalHold?: boolean;
}

export const SSE_ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"] as const;
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];

/** How a version's bytes are said to be encrypted at rest (every object is, on S3 since 2023). */
export interface ServerSideEncryption {
  algorithm: SseAlgorithm;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  /** SSE-C: the bytes are stored encrypted with the client's own key (algorithm AES256) */
  customer?: CustomerKeyUse;
}

/**
 * What a version (or a multipart upload) keeps of an SSE-C key: never the key, only its MD5
 * (as S3 answers it) and what the AES-256-CTR counters start from
 * (workers/gateway/src/body/ctr-cipher.ts).
 */
export interface CustomerKeyUse {
  /** base64 MD5 of the key, as `x-amz-server-side-encryption-customer-key-MD5` */
  keyMd5: string;
  /** base64 of the random bytes that begin every counter block of this object or upload */
  nonce: string;
  /** a multipart object's counter values, one per blob in order (each part upload draws its own); absent, 0 */
  parts?: number[];
}

/** What PutObjectRetention (a retention, or null to remove it) or PutObjectLegalHold changes. */
export interface LockChange {
  retention?: NonNullable<ObjectLock["retention"]> | null;
  legalHold?: boolean;
}

/** An object version as written: the bucket's Durable Object gives it its version id. */
export interface NewObject extends ContentHeaders {
  key: string;
  size: number;
  /** quoted, as S3 returns it */
  etag: string;
  /** milliseconds since the epoch */
  lastModified: number;
  /**
   * The bytes on storage-service, in order: one blob, or one per part of a multipart upload.
   * Empty for an empty or an inline object.
   */
  blobs: BlobRef[];
  /**
   * The bytes of a small object, kept with its metadata (see MOCKS3_INLINE_MAX_BYTES).
   * Present on writes of inline objects and on reads that ask for the body.
   */
  data?: Uint8Array;
  /** true when the bytes are kept with the metadata (the record may still omit `data`) */
  inline?: boolean;
  userMetadata: Record<string, string>;
  tags: TagSet;
  checksum?: Checksum;
  /** a multipart object's part count (x-amz-mp-parts-count) */
  partsCount?: number;
  /** absent for STANDARD */
  storageClass?: StorageClass;
  /** an archived version's latest restore */
  restore?: RestoreState;
  /** Object Lock settings (a bucket with Object Lock only) */
  lock?: ObjectLock;
  /** absent: SSE-S3 (AES256), S3's default */
  encryption?: ServerSideEncryption;
  /** the ACL a write asks for (the bucket decides what it becomes: durable-objects/bucket/acls.ts) */
  aclRequest?: AclRequest;
  /** the version's ACL and owner; absent: the bucket owner's private default */
  acl?: Acl;
}

export interface ObjectRecord extends NewObject {
  versionId: string;
  /** set on reads: the bucket has had versioning enabled, so answers carry x-amz-version-id */
  versioned?: boolean;
}

/** A bucket as the registry lists it. */
export interface BucketSummary {
  name: string;
  ownerId: string;
  region: string;
  createdAt: number;
}

export interface BucketInfo extends BucketSummary {
  versioning: Versioning;
}

/** What a write or delete did to a key: the version it made and the bytes nothing uses now. */
export interface WriteOutcome {
  /** the version id written (a delete marker's for a delete); "null" when unversioned */
  versionId: string;
  versioning: Versioning;
  /** whether a delete made (or removed) a delete marker */
  deleteMarker?: boolean;
  /** blobs of versions the write replaced or removed, for storage-service to release */
  released: BlobRef[];
  /** a write's encryption when it is not plain SSE-S3 */
  encryption?: ServerSideEncryption;
}

/**
 * Who calls a bucket's Durable Object: the owner id of the request's key ("" for an anonymous
 * request), what the request asks (for the bucket's policy and ACLs; absent for the stack's own
 * calls, which only the owner check applies to), and what an object event records of it.
 */
export interface Caller extends EventOrigin {
  ownerId: string;
  access?: AccessRequest;
  /** while a consistency fault is in force: how long the bucket keeps what this write or delete replaces */
  recentWindowMs?: number;
}

export interface ListQuery {
  prefix: string;
  delimiter: string;
  /** list keys strictly after this one (marker, start-after or a continuation token) */
  after: string;
  maxKeys: number;
}

export interface ObjectSummary {
  key: string;
  size: number;
  etag: string;
  lastModified: number;
  checksumAlgorithm?: ChecksumAlgorithm;
  /** absent for STANDARD */
  storageClass?: StorageClass;
}

export interface ListPage {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** the last key or common prefix returned; the next page starts after it */
  last?: string;
  /** the bucket's owner, whom the listing names as its objects' owner */
  ownerId?: string;
}

export interface VersionListQuery {
  prefix: string;
  delimiter: string;
  /** list after this key (all its versions, or only those older than versionIdMarker) */
  keyMarker: string;
  versionIdMarker?: string;
  maxKeys: number;
}

export interface VersionSummary extends ObjectSummary {
  versionId: string;
  isLatest: boolean;
  deleteMarker: boolean;
}

export interface VersionPage {
  versions: VersionSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  nextKeyMarker?: string;
  nextVersionIdMarker?: string;
  /** the bucket's owner, whom the listing names as its versions' owner */
  ownerId?: string;
}

/** A write to the metadata of one key, checked atomically in its bucket's Durable Object. */
export interface WriteCondition {
  /** `If-None-Match: *` — fail if the key exists */
  ifNoneMatch?: "*";
  /** `If-Match` — fail unless the current ETag is one of these (or `*`) */
  ifMatch?: string[];
}

/**
 * A stored bucket configuration (workers/gateway/src/bucket-config) as its text: an XML
 * document as read, in JSON, or the policy's own JSON; null once deleted.
 */
export type ConfigDocument = string | null;
