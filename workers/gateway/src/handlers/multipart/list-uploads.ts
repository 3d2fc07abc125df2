/**
 * ListMultipartUploads: the bucket's uploads in progress by key, then initiation time;
 * `prefix`, `delimiter` (CommonPrefixes), `key-marker` / `upload-id-marker` paging,
 * `max-uploads` (at most 1000) and `encoding-type=url`, which percent-encodes every key,
 * prefix, delimiter and key marker in the answer (the AWS CLI asks for it).
 */
import { unwrap } from "../../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { commonParams } from "../../s3/list-params";
import { ownerElement } from "../../s3/owner";

export async function listMultipartUploads(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const { prefix, delimiter, maxKeys: maxUploads, encode, encodingType } = commonParams(q, "max-uploads");
  const query = { prefix, delimiter, keyMarker: q.get("key-marker") ?? "", uploadIdMarker: q.get("upload-id-marker") ?? "", maxUploads };
  const page = unwrap(await bucketObject(ctx).listUploads(ctx.caller, query));
  const owner = ownerElement(ctx.identity);
  return {
    xml: [
      "ListMultipartUploadsResult",
      {
        Bucket: ctx.bucket,
        KeyMarker: encode(query.keyMarker),
        UploadIdMarker: query.keyMarker ? query.uploadIdMarker : "",
        NextKeyMarker: page.nextKeyMarker === undefined ? undefined : encode(page.nextKeyMarker),
        Prefix: encode(query.prefix),
        Delimiter: query.delimiter ? encode(query.delimiter) : undefined,
        NextUploadIdMarker: page.nextUploadIdMarker,
        MaxUploads: query.maxUploads,
        IsTruncated: page.isTruncated,
        Upload: page.uploads.map((upload) => ({
          ChecksumAlgorithm: upload.template.checksumAlgorithm,
          ChecksumType: upload.template.checksumType,
          Initiated: new Date(upload.initiated).toISOString(),
          Initiator: owner,
          Key: encode(upload.key),
          Owner: owner,
          StorageClass: upload.template.storageClass ?? "STANDARD",
          UploadId: upload.uploadId,
        })),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
        EncodingType: encodingType,
      },
    ],
  };
}
