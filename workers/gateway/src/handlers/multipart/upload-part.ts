/**
 * UploadPart: the body streamed to storage-service as a blob of its own (never kept inline:
 * the parts' blobs become the object's), verified like a PutObject body — Content-MD5,
 * x-amz-content-sha256, aws-chunked framing and trailers, x-amz-checksum-* — and, when the
 * upload has a checksum algorithm, that algorithm's checksum computed or checked. Uploading
 * a part number again replaces the part and releases its bytes. A part of an SSE-C upload
 * must bring the upload's key, and is stored encrypted under its part number.
 */
import { S3Error, unwrap } from "../../../../../shared/s3-errors";
import type { PartRecord } from "../../../../../shared/uploads";
import { toHex } from "../../body/checksums";
import { expectationsOf } from "../../body/expectations";
import { discard, ingest } from "../../body/ingest";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { partCipher } from "../../s3/customer-key";
import { encryptionHeaders } from "../../s3/encryption";
import { MAX_PART_SIZE, partNumberOf, storePart, uploadIdOf } from "./part-writes";
import { checksumHeaders, partChecksum } from "./upload-checksums";

export async function uploadPart(ctx: S3Context): Promise<S3Result> {
  const uploadId = uploadIdOf(ctx.target.query);
  const partNumber = partNumberOf(ctx.target.query);
  const expect = expectationsOf(ctx.request.headers, ctx.payload);
  if (expect.length !== undefined && expect.length > MAX_PART_SIZE) throw tooLarge(expect.length);
  // The upload is looked up before a byte is stored: NoSuchUpload, and its checksum algorithm.
  const upload = unwrap(await bucketObject(ctx).getUpload(ctx.caller, uploadId, ctx.key));
  const checksum = partChecksum(expect.checksum, upload.template);
  if (checksum) expect.checksum = checksum;

  const cipher = partCipher(upload.template.encryption, ctx.request.headers);
  const body = await ingest(ctx, expect, cipher ? { asBlob: true, encrypt: cipher.encrypt } : { asBlob: true });
  if (body.size > MAX_PART_SIZE) {
    discard(ctx, body.blobs);
    throw tooLarge(body.size);
  }
  const part: PartRecord = { partNumber, size: body.size, etag: `"${toHex(body.md5)}"`, lastModified: Date.now(), blob: body.blobs[0] ?? null };
  if (body.checksum) part.checksum = body.checksum;
  if (cipher) part.cipherPart = cipher.cipherPart;
  await storePart(ctx, uploadId, part);
  return { headers: { etag: part.etag, ...checksumHeaders(part.checksum), ...encryptionHeaders(upload.template.encryption) } };
}

function tooLarge(size: number): S3Error {
  return new S3Error("EntityTooLarge", undefined, { ProposedSize: size, MaxSizeAllowed: MAX_PART_SIZE });
}
