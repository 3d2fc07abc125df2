/**
 * The S3 operations MockS3 serves, by their S3 names: what the gateway routes to, and what a
 * fault rule's `operation` condition may name.
 */
export const S3_OPERATIONS = [
  "ListBuckets",
  "CreateBucket",
  "HeadBucket",
  "DeleteBucket",
  "GetBucketLocation",
  "GetBucketAcl",
  "PutBucketAcl",
  "GetBucketVersioning",
  "PutBucketVersioning",
  "GetBucketCors",
  "PutBucketCors",
  "DeleteBucketCors",
  "GetBucketNotificationConfiguration",
  "PutBucketNotificationConfiguration",
  "ListObjects",
  "ListObjectsV2",
  "ListObjectVersions",
  "DeleteObjects",
  "PutObject",
  "CopyObject",
  "GetObject",
  "HeadObject",
  "DeleteObject",
  "GetObjectTagging",
  "PutObjectTagging",
  "DeleteObjectTagging",
  "GetObjectAcl",
  "PutObjectAcl",
  "CreateMultipartUpload",
  "UploadPart",
  "UploadPartCopy",
  "CompleteMultipartUpload",
  "AbortMultipartUpload",
  "ListParts",
  "ListMultipartUploads",
] as const;

export type Operation = (typeof S3_OPERATIONS)[number];
