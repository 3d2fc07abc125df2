/**
 * ListObjectVersions: every version and delete marker, keys ascending and newest first, with
 * key-marker / version-id-marker paging. Versions and delete markers are separate elements;
 * SDKs read them into separate lists, so they are grouped rather than interleaved.
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { commonParams } from "../s3/list-params";
import { ownerById, ownerElement } from "../s3/owner";
import { versionIdOf } from "../s3/version-id";

export async function listObjectVersions(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const params = commonParams(q);
  const keyMarker = q.get("key-marker") ?? "";
  const versionIdMarker = q.has("version-id-marker") ? versionIdOf(new URLSearchParams({ versionId: q.get("version-id-marker")! })) : undefined;
  if (versionIdMarker !== undefined && !keyMarker) {
    throw new S3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.", { ArgumentName: "version-id-marker" });
  }
  const page = unwrap(await bucketObject(ctx).listVersions(ctx.caller, { prefix: params.prefix, delimiter: params.delimiter, keyMarker, versionIdMarker, maxKeys: params.maxKeys }));
  const { encode } = params;
  const owner = page.ownerId ? ownerById(ctx.config, page.ownerId) : ownerElement(ctx.identity);
  return {
    xml: [
      "ListVersionsResult",
      {
        Name: ctx.bucket,
        Prefix: encode(params.prefix),
        KeyMarker: encode(keyMarker),
        VersionIdMarker: versionIdMarker ?? "",
        NextKeyMarker: page.isTruncated && page.nextKeyMarker !== undefined ? encode(page.nextKeyMarker) : undefined,
        NextVersionIdMarker: page.isTruncated ? page.nextVersionIdMarker : undefined,
        MaxKeys: params.maxKeys,
        Delimiter: params.delimiter ? encode(params.delimiter) : undefined,
        IsTruncated: page.isTruncated,
        Version: page.versions
          .filter((v) => !v.deleteMarker)
          .map((v) => ({
            Key: encode(v.key),
            VersionId: v.versionId,
            IsLatest: v.isLatest,
            LastModified: new Date(v.lastModified).toISOString(),
            ETag: v.etag,
            ChecksumAlgorithm: v.checksumAlgorithm,
            Size: v.size,
            StorageClass: v.storageClass ?? "STANDARD",
            Owner: owner,
          })),
        DeleteMarker: page.versions
          .filter((v) => v.deleteMarker)
          .map((v) => ({ Key: encode(v.key), VersionId: v.versionId, IsLatest: v.isLatest, LastModified: new Date(v.lastModified).toISOString(), Owner: owner })),
        CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: encode(prefix) })),
        EncodingType: params.encodingType,
      },
    ],
  };
}
