/**
 * The IAM action each S3 operation is, as bucket policies name it: mostly `s3:<Operation>`,
 * but S3's action names differ for listings, HEADs, multipart uploads, configuration documents
 * and requests that name a version (`s3:GetObjectVersion`…).
 */
import type { Operation } from "../../../../shared/s3-operations";

const ACTIONS: Partial<Record<Operation, string>> = {
  ListBuckets: "s3:ListAllMyBuckets",
  HeadBucket: "s3:ListBucket",
  ListObjects: "s3:ListBucket",
  ListObjectsV2: "s3:ListBucket",
  ListObjectVersions: "s3:ListBucketVersions",
  ListMultipartUploads: "s3:ListBucketMultipartUploads",
  ListParts: "s3:ListMultipartUploadParts",
  HeadObject: "s3:GetObject",
  CopyObject: "s3:PutObject",
  CreateMultipartUpload: "s3:PutObject",
  UploadPart: "s3:PutObject",
  UploadPartCopy: "s3:PutObject",
  CompleteMultipartUpload: "s3:PutObject",
  DeleteObjects: "s3:DeleteObject",
  GetBucketCors: "s3:GetBucketCORS",
  PutBucketCors: "s3:PutBucketCORS",
  DeleteBucketCors: "s3:PutBucketCORS",
  GetBucketNotificationConfiguration: "s3:GetBucketNotification",
  PutBucketNotificationConfiguration: "s3:PutBucketNotification",
  DeleteBucketTagging: "s3:PutBucketTagging",
  GetBucketLifecycleConfiguration: "s3:GetLifecycleConfiguration",
  PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration",
  DeleteBucketLifecycle: "s3:PutLifecycleConfiguration",
  GetBucketEncryption: "s3:GetEncryptionConfiguration",
  PutBucketEncryption: "s3:PutEncryptionConfiguration",
  DeleteBucketEncryption: "s3:PutEncryptionConfiguration",
  GetPublicAccessBlock: "s3:GetBucketPublicAccessBlock",
  PutPublicAccessBlock: "s3:PutBucketPublicAccessBlock",
  DeletePublicAccessBlock: "s3:PutBucketPublicAccessBlock",
  DeleteBucketOwnershipControls: "s3:PutBucketOwnershipControls",
  GetBucketAccelerateConfiguration: "s3:GetAccelerateConfiguration",
  PutBucketAccelerateConfiguration: "s3:PutAccelerateConfiguration",
  GetBucketReplication: "s3:GetReplicationConfiguration",
  PutBucketReplication: "s3:PutReplicationConfiguration",
  DeleteBucketReplication: "s3:PutReplicationConfiguration",
  GetObjectLockConfiguration: "s3:GetBucketObjectLockConfiguration",
  PutObjectLockConfiguration: "s3:PutBucketObjectLockConfiguration",
};

/** Operations whose action is another when the request names a version. */
const VERSIONED: Partial<Record<Operation, string>> = {
  GetObject: "s3:GetObjectVersion",
  HeadObject: "s3:GetObjectVersion",
  DeleteObject: "s3:DeleteObjectVersion",
  GetObjectAcl: "s3:GetObjectVersionAcl",
  PutObjectAcl: "s3:PutObjectVersionAcl",
  GetObjectTagging: "s3:GetObjectVersionTagging",
  PutObjectTagging: "s3:PutObjectVersionTagging",
  DeleteObjectTagging: "s3:DeleteObjectVersionTagging",
  GetObjectAttributes: "s3:GetObjectVersionAttributes",
};

export function actionOf(operation: Operation, query: URLSearchParams): string {
  if (query.has("versionId")) {
    const versioned = VERSIONED[operation];
    if (versioned) return versioned;
  }
  return ACTIONS[operation] ?? `s3:${operation}`;
}
