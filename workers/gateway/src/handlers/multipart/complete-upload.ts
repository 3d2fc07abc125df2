/**
 * CompleteMultipartUpload: the parts listed (by number, ascending, each with its ETag)
 * become the object, as a new version of its key. Their blobs, in order, are the object's
 * bytes — nothing is copied; parts left out are released. S3's checks, in its order:
 * MalformedXML, InvalidPartOrder, NoSuchUpload, InvalidPart (a part never uploaded, or an
 * ETag or part checksum that does not match), EntityTooSmall (a part under 5 MiB that is
 * not the last). The ETag and checksum come from the parts (object-checksum.ts); a
 * checksum the request claims for the object (`x-amz-checksum-*`) must match it (BadDigest),
 * and `x-amz-checksum-type`, when sent, must be the upload's. `If-None-Match: *` and
 * `If-Match` make the write conditional, as on PutObject; a failed condition leaves the
 * upload as it was. A retry after success (same upload id and part list) answers as the
 * first completion did; S3 remembers completed uploads for a while, MockS3 for a day. An
 * SSE-C object records which part number each of its blobs was encrypted under.
 */
import type { Checksum, NewObject } from "../../../../../shared/records";
import { S3Error, unwrap } from "../../../../../shared/s3-errors";
import type { XmlDocument } from "../../../../../shared/s3-xml";
import type { CompletedUpload, PartRecord, UploadTemplate } from "../../../../../shared/uploads";
import { uriEncode } from "../../auth/sigv4";
import { CHECKSUM_ALGORITHMS, checksumHeader } from "../../body/checksums";
import { expectationsOf } from "../../body/expectations";
import { readBodyText } from "../../body/read-body";
import { unquote } from "../../s3/conditions";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { encryptionHeaders } from "../../s3/encryption";
import { release, versionHeaders, writeConditionOf } from "../object-writes";
import { parseCompleteRequest, type RequestedPart } from "./complete-request";
import { multipartEtag, objectChecksum } from "./object-checksum";
import { MIN_PART_SIZE, uploadIdOf } from "./part-writes";
import { checksumElements, modeOf, type ChecksumMode } from "./upload-checksums";

/** 10,000 parts with every checksum fit well within this. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function completeMultipartUpload(ctx: S3Context): Promise<S3Result> {
  const headers = ctx.request.headers;
  const uploadId = uploadIdOf(ctx.target.query);
  const condition = writeConditionOf(headers);
  const requested = parseCompleteRequest(await readBodyText(ctx, MAX_BODY_BYTES, bodyExpectations(ctx)));
  const list = partList(requested);
  const found = unwrap(await bucketObject(ctx).uploadParts(ctx.caller, uploadId, ctx.key));
  if ("completed" in found) return retried(ctx, found.completed, list);
  const chosen = choose(requested, found.parts, uploadId);
  const mode = modeOf(found.upload.template);
  checkChecksumType(headers, mode);
  if (mode) checkPartChecksums(requested, chosen, mode);
  const checksum = mode ? await objectChecksum(mode, chosen) : undefined;
  checkClaimedChecksum(headers, checksum);

  const object: NewObject = {
    ...contentOf(found.upload.template),
    key: ctx.key,
    size: chosen.reduce((sum, part) => sum + part.size, 0),
    etag: multipartEtag(chosen),
    lastModified: Date.now(),
    blobs: chosen.flatMap((part) => (part.blob ? [part.blob] : [])),
    partsCount: chosen.length,
  };
  if (checksum) object.checksum = checksum;
  if (object.encryption?.customer) {
    // each part's counter value (a part stored before they were drawn used its number)
    const parts = chosen.flatMap((part) => (part.blob ? [part.cipherPart ?? part.partNumber] : []));
    object.encryption = { ...object.encryption, customer: { ...object.encryption.customer, parts } };
  }
  const picked = chosen.map((part) => ({ partNumber: part.partNumber, blobId: part.blob?.id ?? null }));
  const outcome = unwrap(await bucketObject(ctx).completeUpload(ctx.caller, uploadId, { object, chosen: picked, partList: list }, condition));
  release(ctx, outcome.released);
  return { headers: { ...versionHeaders(outcome), ...encryptionHeaders(outcome.encryption) }, xml: resultOf(ctx, object.etag, checksum) };
}

/**
 * A retry of a completed upload's CompleteMultipartUpload (its answer was lost): with the
 * same part list, the first answer again, as S3 gives it; with another, NoSuchUpload.
 */
function retried(ctx: S3Context, completed: CompletedUpload, list: string): S3Result {
  if (completed.partList !== list) throw new S3Error("NoSuchUpload");
  return { headers: { ...versionHeaders(completed), ...encryptionHeaders(completed.encryption) }, xml: resultOf(ctx, completed.etag, completed.checksum ?? undefined) };
}

function resultOf(ctx: S3Context, etag: string, checksum: Checksum | undefined): XmlDocument {
  return ["CompleteMultipartUploadResult", { Location: locationOf(ctx), Bucket: ctx.bucket, Key: ctx.key, ETag: etag, ...checksumElements(checksum), ChecksumType: checksum?.type }];
}

/** The requested part list, as a retry must repeat it: numbers and ETags (quotes aside). */
function partList(requested: RequestedPart[]): string {
  return requested.map((part) => `${part.partNumber}:${unquote(part.etag)}`).join(",");
}

/** The body's own checks; `x-amz-checksum-*` here is the object's checksum, not the body's. */
function bodyExpectations(ctx: S3Context) {
  const headers = new Headers(ctx.request.headers);
  for (const algorithm of CHECKSUM_ALGORITHMS) headers.delete(checksumHeader(algorithm));
  headers.delete("x-amz-sdk-checksum-algorithm");
  return expectationsOf(headers, ctx.payload);
}

/** The stored parts the request names, each checked against its ETag and the size minimum. */
function choose(requested: RequestedPart[], parts: PartRecord[], uploadId: string): PartRecord[] {
  const byNumber = new Map(parts.map((part) => [part.partNumber, part]));
  const chosen = requested.map((r) => {
    const part = byNumber.get(r.partNumber);
    if (!part || unquote(part.etag) !== unquote(r.etag)) throw new S3Error("InvalidPart", undefined, { UploadId: uploadId, PartNumber: r.partNumber, ETag: r.etag });
    return part;
  });
  chosen.slice(0, -1).forEach((part) => {
    if (part.size < MIN_PART_SIZE) {
      throw new S3Error("EntityTooSmall", undefined, { ProposedSize: part.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: part.partNumber, ETag: part.etag });
    }
  });
  return chosen;
}

function checkChecksumType(headers: Headers, mode: ChecksumMode | undefined): void {
  const type = headers.get("x-amz-checksum-type");
  if (type === null) return;
  if (!mode) throw new S3Error("InvalidRequest", "The upload was not created with a checksum mode. The complete request must not include a x-amz-checksum-type header.");
  if (type.toUpperCase() !== mode.type) {
    throw new S3Error("InvalidRequest", `The upload was created using the ${mode.type} checksum mode. The complete request must use the same checksum mode.`);
  }
}

/** A part checksum the request states must be the part's; COMPOSITE needs every one stated. */
function checkPartChecksums(requested: RequestedPart[], chosen: PartRecord[], mode: ChecksumMode): void {
  requested.forEach((r, i) => {
    const stated = r.checksums[mode.algorithm];
    if (stated === undefined) {
      if (mode.type !== "COMPOSITE") return;
      throw new S3Error(
        "InvalidRequest",
        `The upload was created using a ${mode.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${r.partNumber} in the request.`,
      );
    }
    if (stated !== chosen[i]!.checksum?.value) throw new S3Error("InvalidPart", undefined, { PartNumber: r.partNumber, ETag: r.etag });
  });
}

/** `x-amz-checksum-<algorithm>` on the request: the object's checksum as the client computed it. */
function checkClaimedChecksum(headers: Headers, checksum: Checksum | undefined): void {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const claimed = headers.get(checksumHeader(algorithm));
    if (claimed === null) continue;
    if (checksum?.algorithm !== algorithm || checksum.value !== claimed.trim()) {
      throw new S3Error("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`);
    }
  }
}

function contentOf(template: UploadTemplate): Omit<NewObject, "key" | "size" | "etag" | "lastModified" | "blobs"> {
  const { checksumAlgorithm: _algorithm, checksumType: _type, ...content } = template;
  return content;
}

/** Where the object is, as the request addressed it (path- or virtual-hosted-style). */
function locationOf(ctx: S3Context): string {
  const protocol = new URL(ctx.request.url).protocol;
  const key = uriEncode(ctx.key, true);
  return `${protocol}//${ctx.target.host}/${ctx.target.virtualHosted ? key : `${uriEncode(ctx.bucket, false)}/${key}`}`;
}
