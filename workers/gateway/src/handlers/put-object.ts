/**
 * PutObject: the body streamed to storage-service, verified, then the metadata committed.
 * An SSE-C body is stored encrypted with the request's key (s3/customer-key.ts).
 */
import { SINGLE_SHOT_LIMIT } from "../../../../shared/blob-layout";
import type { NewObject } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { checksumHeader, toHex } from "../body/checksums";
import { expectationsOf } from "../body/expectations";
import { ingest } from "../body/ingest";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { contentHeadersFrom, userMetadataFrom } from "../s3/object-headers";
import { writeEncryptionOf } from "../s3/customer-key";
import { encryptionHeaders } from "../s3/encryption";
import { lockFromHeaders } from "../s3/object-lock";
import { aclRequestFromHeaders } from "../s3/acl-request";
import { storageClassFrom } from "../s3/storage-class";
import { tagsFromHeader } from "../s3/tags";
import { commitObject, versionHeaders, writeConditionOf } from "./object-writes";

/** S3's largest single PUT: 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

export async function putObject(ctx: S3Context): Promise<S3Result> {
  const headers = ctx.request.headers;
  const expect = expectationsOf(headers, ctx.payload);
  if (expect.length !== undefined && expect.length > MAX_PUT_SIZE) {
    throw new S3Error("EntityTooLarge", undefined, { ProposedSize: expect.length, MaxSizeAllowed: MAX_PUT_SIZE });
  }
  const content = contentHeadersFrom(headers);
  const userMetadata = userMetadataFrom(headers);
  const tags = tagsFromHeader(headers.get("x-amz-tagging"));
  const condition = writeConditionOf(headers);
  const storageClass = storageClassFrom(headers);
  const lock = lockFromHeaders(headers);
  const { encryption, cipher } = writeEncryptionOf(headers);
  const aclRequest = aclRequestFromHeaders(headers);
  // A large upload learns that its bucket is missing before sending its bytes, not after; an
  // anonymous one that it may not write before any byte is stored.
  if (ctx.identity.anonymous || (expect.length ?? Number.POSITIVE_INFINITY) > SINGLE_SHOT_LIMIT) unwrap(await bucketObject(ctx).describe(ctx.caller));

  const body = await ingest(ctx, expect, cipher ? { encrypt: cipher.sequence(0) } : {});
  const object: NewObject = {
    key: ctx.key,
    size: body.size,
    etag: `"${toHex(body.md5)}"`,
    lastModified: Date.now(),
    blobs: body.blobs,
    ...content,
    userMetadata,
    tags,
  };
  if (body.data) object.data = body.data;
  if (body.checksum) object.checksum = body.checksum;
  if (storageClass) object.storageClass = storageClass;
  if (lock) object.lock = lock;
  if (encryption) object.encryption = encryption;
  if (aclRequest) object.aclRequest = aclRequest;
  const outcome = await commitObject(ctx, object, condition);

  const answer: Record<string, string> = { etag: object.etag, ...versionHeaders(outcome), ...encryptionHeaders(outcome.encryption) };
  if (body.checksum) answer[checksumHeader(body.checksum.algorithm)] = body.checksum.value;
  return { headers: answer };
}
