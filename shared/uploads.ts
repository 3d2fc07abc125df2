/** Multipart uploads: what crosses between the gateway and a bucket's Durable Object. */
import type { BlobRef, Checksum, ChecksumAlgorithm, ContentHeaders, TagSet } from "./records";

/** What CreateMultipartUpload fixes for the object the upload will become. */
export interface UploadTemplate extends ContentHeaders {
  userMetadata: Record<string, string>;
  tags: TagSet;
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: "COMPOSITE" | "FULL_OBJECT";
}

export interface PartRecord {
  partNumber: number;
  size: number;
  /** quoted */
  etag: string;
  lastModified: number;
  blob: BlobRef | null;
  checksum?: Checksum;
}

export interface UploadRecord {
  uploadId: string;
  key: string;
  initiated: number;
  template: UploadTemplate;
}
