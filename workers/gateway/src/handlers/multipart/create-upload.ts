/**
 * CreateMultipartUpload: fixes what the object will carry — content headers, `x-amz-meta-*`,
 * `x-amz-tagging`, the checksum algorithm and type, the ACL, the encryption (for SSE-C, the key's
 * MD5 and the nonce every part's keystream starts from) — and answers the new upload's id.
 */
import { unwrap } from "../../../../../shared/s3-errors";
import type { UploadTemplate } from "../../../../../shared/uploads";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { contentHeadersFrom, userMetadataFrom } from "../../s3/object-headers";
import { writeEncryptionOf } from "../../s3/customer-key";
import { encryptionHeaders } from "../../s3/encryption";
import { lockFromHeaders } from "../../s3/object-lock";
import { storageClassFrom } from "../../s3/storage-class";
import { tagsFromHeader } from "../../s3/tags";
import { aclRequestFromHeaders } from "../../s3/acl-request";
import { checksumModeOf, modeHeaders } from "./upload-checksums";

export async function createMultipartUpload(ctx: S3Context): Promise<S3Result> {
  const headers = ctx.request.headers;
  const mode = checksumModeOf(headers);
  const template: UploadTemplate = {
    ...contentHeadersFrom(headers),
    userMetadata: userMetadataFrom(headers),
    tags: tagsFromHeader(headers.get("x-amz-tagging")),
  };
  const storageClass = storageClassFrom(headers);
  if (storageClass) template.storageClass = storageClass;
  const lock = lockFromHeaders(headers);
  if (lock) template.lock = lock;
  const { encryption } = writeEncryptionOf(headers);
  if (encryption) template.encryption = encryption;
  const aclRequest = aclRequestFromHeaders(headers);
  if (aclRequest) template.aclRequest = aclRequest;
  if (mode) {
    template.checksumAlgorithm = mode.algorithm;
    template.checksumType = mode.type;
  }
  const upload = unwrap(await bucketObject(ctx).createUpload(ctx.caller, ctx.key, template));
  return {
    headers: { ...modeHeaders(mode), ...encryptionHeaders(upload.template.encryption) },
    xml: ["InitiateMultipartUploadResult", { Bucket: ctx.bucket, Key: ctx.key, UploadId: upload.uploadId }],
  };
}
