/**
 * ListParts: an upload's parts in part-number order, `max-parts` at a time (at most 1000)
 * after `part-number-marker`; NextPartNumberMarker is where the next page starts. Only the
 * bucket's owner reaches an upload, so Initiator and Owner are both the caller.
 */
import { unwrap } from "../../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { ownerElement } from "../../s3/owner";
import { integerParam } from "../../s3/list-params";
import { uploadIdOf } from "./part-writes";
import { checksumElements } from "./upload-checksums";

const MAX_PARTS = 1000;

export async function listParts(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const uploadId = uploadIdOf(q);
  const maxParts = Math.min(integerParam(q, "max-parts", MAX_PARTS), MAX_PARTS);
  const marker = integerParam(q, "part-number-marker", 0);
  const page = unwrap(await bucketObject(ctx).listParts(ctx.caller, uploadId, ctx.key, marker, maxParts));
  const owner = ownerElement(ctx.identity);
  const { template } = page.upload;
  return {
    xml: [
      "ListPartsResult",
      {
        Bucket: ctx.bucket,
        Key: ctx.key,
        UploadId: uploadId,
        PartNumberMarker: marker,
        NextPartNumberMarker: page.parts.at(-1)?.partNumber,
        MaxParts: maxParts,
        IsTruncated: page.isTruncated,
        Part: page.parts.map((part) => ({
          ...checksumElements(part.checksum),
          ETag: part.etag,
          LastModified: new Date(part.lastModified).toISOString(),
          PartNumber: part.partNumber,
          Size: part.size,
        })),
        Initiator: owner,
        Owner: owner,
        StorageClass: template.storageClass ?? "STANDARD",
        ChecksumAlgorithm: template.checksumAlgorithm,
        ChecksumType: template.checksumType,
      },
    ],
  };
}
