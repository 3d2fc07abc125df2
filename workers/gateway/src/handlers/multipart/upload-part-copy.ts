/**
 * UploadPartCopy: a part made of (a range of) an existing object. The source is named by
 * `x-amz-copy-source` (with `?versionId=`), narrowed by `x-amz-copy-source-range: bytes=a-b`
 * and guarded by `x-amz-copy-source-if-*` (a failure is 412). Its bytes stream from
 * storage-service (or from the source's row, when inline) into a new blob, through the same
 * path as an uploaded body — chunked, digested, never held whole — because a part must own
 * its bytes: the source may be overwritten or deleted before the upload completes. An SSE-C
 * source is read with `x-amz-copy-source-server-side-encryption-customer-*`, decrypted; a
 * part of an SSE-C upload needs the upload's key and is stored encrypted, as UploadPart's.
 */
import { S3Error, unwrap } from "../../../../../shared/s3-errors";
import type { PartRecord } from "../../../../../shared/uploads";
import { toHex } from "../../body/checksums";
import { ingest } from "../../body/ingest";
import { checkConditions, readConditions } from "../../s3/conditions";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { COPY_SOURCE_HEADERS, keyForRead, partCipher } from "../../s3/customer-key";
import { plainBytes } from "../../s3/plain-bytes";
import { encryptionHeaders } from "../../s3/encryption";
import type { ByteRange } from "../../s3/range";
import { assertReadable } from "../../s3/storage-class";
import { parseCopySource } from "../copy-object";
import { MAX_PART_SIZE, partNumberOf, storePart, uploadIdOf } from "./part-writes";
import { checksumElements } from "./upload-checksums";
import { bytesSource } from "../../body/stream-pieces";
import { sourceCaller } from "../../s3/access-context";

export async function uploadPartCopy(ctx: S3Context): Promise<S3Result> {
  const headers = ctx.request.headers;
  const uploadId = uploadIdOf(ctx.target.query);
  const partNumber = partNumberOf(ctx.target.query);
  const source = parseCopySource(headers.get("x-amz-copy-source")!);
  const upload = unwrap(await bucketObject(ctx).getUpload(ctx.caller, uploadId, ctx.key));
  const cipher = partCipher(upload.template.encryption, headers);
  const original = unwrap(
    await bucketObject(ctx, source.bucket).getObject(sourceCaller(ctx.caller, source.key, source.versionId, headers), source.key, { versionId: source.versionId, withData: true }),
  );
  const sourceKey = keyForRead(original.encryption, headers, COPY_SOURCE_HEADERS);
  checkConditions(original, readConditions(headers, "x-amz-copy-source-"), false);
  assertReadable(original);
  const { start, end } = copyRangeOf(headers.get("x-amz-copy-source-range"), original.size);
  if (end - start > MAX_PART_SIZE) {
    throw new S3Error("InvalidRequest", `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PART_SIZE}`);
  }

  const algorithm = upload.template.checksumAlgorithm;
  const expect = { length: end - start, ...(algorithm ? { checksum: { algorithm, fromTrailer: false } } : {}) };
  const bytes = await plainBytes(ctx, original, start, end, sourceKey);
  const body = await ingest(ctx, expect, { asBlob: true, source: bytesSource(bytes), ...(cipher ? { encrypt: cipher.encrypt } : {}) });
  const part: PartRecord = { partNumber, size: body.size, etag: `"${toHex(body.md5)}"`, lastModified: Date.now(), blob: body.blobs[0] ?? null };
  if (cipher) part.cipherPart = cipher.cipherPart;
  if (body.checksum) part.checksum = body.checksum;
  await storePart(ctx, uploadId, part);
  return {
    headers: { ...encryptionHeaders(upload.template.encryption), ...(original.versioned ? { "x-amz-copy-source-version-id": original.versionId } : {}) },
    xml: ["CopyPartResult", { ETag: part.etag, LastModified: new Date(part.lastModified).toISOString(), ...checksumElements(part.checksum) }],
  };
}

/**
 * `x-amz-copy-source-range`: exactly `bytes=first-last` (S3 takes no open or suffix ranges
 * here), first ≤ last, else InvalidArgument; a range reaching past the source is 416
 * InvalidRange. Absent, the whole source.
 */
export function copyRangeOf(header: string | null, size: number): ByteRange {
  if (header === null) return { start: 0, end: size };
  const m = /^bytes=(\d+)-(\d+)$/.exec(header.trim());
  if (!m) {
    throw new S3Error("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", {
      ArgumentName: "x-amz-copy-source-range",
      ArgumentValue: header,
    });
  }
  const first = Number(m[1]);
  const last = Number(m[2]);
  if (first > last) {
    throw new S3Error("InvalidArgument", `Range specified is not valid for source object of size: ${size}`, { ArgumentName: "x-amz-copy-source-range", ArgumentValue: header });
  }
  // past the source's end: S3 answers as a GET of that range would
  if (last >= size) throw new S3Error("InvalidRange", undefined, { RangeRequested: header, ActualObjectSize: size });
  return { start: first, end: last + 1 };
}
