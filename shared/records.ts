/**
 * The values that cross worker and Durable Object boundaries. Everything here is plain data
 * (structured-clone friendly), so it travels over RPC unchanged.
 */

/** Where an object's bytes live: a blob on one storage node of storage-service. */
export interface BlobRef {
  node: string;
  id: string;
  size: number;
}

export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

export interface Checksum {
  algorithm: ChecksumAlgorithm;
  /** base64, as S3 sends it in `x-amz-checksum-*` */
  value: string;
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

export type TagSet = Array<{ key: string; value: string }>;

export interface ObjectRecord extends ContentHeaders {
  key: string;
  size: number;
  /** quoted, as S3 returns it */
  etag: string;
  /** milliseconds since the epoch */
  lastModified: number;
  /** where the bytes live on storage-service; null for an empty or an inline object */
  blob: BlobRef | null;
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
}

export interface BucketInfo {
  name: string;
  ownerId: string;
  region: string;
  createdAt: number;
}

/** Who is asking: the owner id of the authenticated access key. */
export interface Caller {
  ownerId: string;
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
}

export interface ListPage {
  contents: ObjectSummary[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** the last key or common prefix returned; the next page starts after it */
  last?: string;
}

/** A write to the metadata of one key, checked atomically in its bucket's Durable Object. */
export interface WriteCondition {
  /** `If-None-Match: *` — fail if the key exists */
  ifNoneMatch?: "*";
  /** `If-Match` — fail unless the current ETag is one of these (or `*`) */
  ifMatch?: string[];
}
