/**
 * Every implemented operation and its handler. The stored bucket configurations come from their
 * table (bucket-config/kinds.ts); the rest are named here. An operation left without a handler
 * stops the gateway at load, so no test run can miss it.
 */
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from "../handlers/acl";
import { deleteBucketCors, getBucketCors, putBucketCors } from "../handlers/bucket-cors";
import { configHandlers } from "../handlers/bucket-config";
import { getBucketNotification, putBucketNotification } from "../handlers/bucket-notification";
import { deleteBucketPolicy, getBucketPolicy, getBucketPolicyStatus, putBucketPolicy } from "../handlers/bucket-policy";
import { createBucket, deleteBucket, getBucketLocation, getBucketVersioning, headBucket, putBucketVersioning } from "../handlers/bucket";
import { copyObject } from "../handlers/copy-object";
import { deleteObject, deleteObjects } from "../handlers/delete-object";
import { getObject, headObject } from "../handlers/get-object";
import { getObjectAttributes } from "../handlers/object-attributes";
import { getObjectLegalHold, getObjectRetention, putObjectLegalHold, putObjectRetention } from "../handlers/object-lock";
import { restoreObject } from "../handlers/restore-object";
import { listBuckets } from "../handlers/list-buckets";
import { listObjects, listObjectsV2 } from "../handlers/list-objects";
import { listObjectVersions } from "../handlers/list-versions";
import * as multipart from "../handlers/multipart";
import { putObject } from "../handlers/put-object";
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from "../handlers/tagging";
import type { Handler } from "./context";
import { S3_OPERATIONS } from "../../../../shared/s3-operations";
import type { Operation } from "./operations";

export const OPERATIONS = complete({
  ...configHandlers(),
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetBucketPolicyStatus: getBucketPolicyStatus,
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  HeadBucket: headBucket,
  DeleteBucket: deleteBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketCors: getBucketCors,
  PutBucketCors: putBucketCors,
  DeleteBucketCors: deleteBucketCors,
  GetBucketNotificationConfiguration: getBucketNotification,
  PutBucketNotificationConfiguration: putBucketNotification,
  ListObjects: listObjects,
  ListObjectsV2: listObjectsV2,
  ListObjectVersions: listObjectVersions,
  DeleteObjects: deleteObjects,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  GetObjectAttributes: getObjectAttributes,
  RestoreObject: restoreObject,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
  GetObjectTagging: getObjectTagging,
  PutObjectTagging: putObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  CreateMultipartUpload: multipart.createMultipartUpload,
  UploadPart: multipart.uploadPart,
  UploadPartCopy: multipart.uploadPartCopy,
  CompleteMultipartUpload: multipart.completeMultipartUpload,
  AbortMultipartUpload: multipart.abortMultipartUpload,
  ListParts: multipart.listParts,
  ListMultipartUploads: multipart.listMultipartUploads,
});

function complete(handlers: Partial<Record<Operation, Handler>>): Record<Operation, Handler> {
  const missing = S3_OPERATIONS.filter((operation) => !handlers[operation]);
  if (missing.length > 0) throw new Error(`S3 operations without a handler: ${missing.join(", ")}`);
  return handlers as Record<Operation, Handler>;
}
