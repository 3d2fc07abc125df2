/**
 * ListMultipartUploads: the bucket's uploads in progress by key, then initiation time;
 * `prefix`, `delimiter` (CommonPrefixes), `key-marker` / `upload-id-marker` paging,
 * `max-uploads` (at most 1000) and `encoding-type=url`, which percent-encodes every key,
 * prefix, delimiter and key marker in the answer (the AWS CLI asks for it).
 */
import { S3Error, unwrap } from "../../../../../shared/s3-errors";
import { uriEncode } from "../../auth/sigv4";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { ownerElement } from "../../s3/owner";
import { integerParam } from "./part-writes";

const MAX_UPLOADS = 1000;

export async function listMultipartUploads(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const encodingType = q.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") {
    throw new S3Error("InvalidArgument", "Invalid Encoding Method specified in Request", { ArgumentName: "encoding-type", ArgumentValue: encodingType });
  }
  const encode = encodingType === "url" ? (value: string) => uriEncode(value, true) : (value: string) => value;
  const query = {
    prefix: q.get("prefix") ?? "",
    delimiter: q.get("delimiter") ?? "",
    keyMarker: q.get("key-marker") ?? "",
    uploadIdMarker: q.get("upload-id-marker") ?? "",
    maxUploads: Math.min(integerParam(q, "max-uploads", MAX_UPLOADS), MAX_UPLOADS),
  };
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
          StorageClass: "STANDARD",
          UploadId: upload.uploadId,
        })),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
        EncodingType: encodingType ?? undefined,
      },
    ],
  };
}
