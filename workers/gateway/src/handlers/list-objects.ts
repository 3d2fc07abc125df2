/**
 * ListObjects (V1, still used by rclone and s3cmd) and ListObjectsV2. Contents and common
 * prefixes together count against max-keys, as in S3. With `encoding-type=url` (the AWS CLI
 * always asks for it) the answer percent-encodes exactly what S3 does and botocore decodes:
 * keys, common prefixes and the delimiter, with V1 also Marker and NextMarker (not Prefix),
 * with V2 also Prefix and StartAfter.
 */
import type { ListPage, ObjectSummary } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { decodeToken, encodeToken } from "../s3/continuation-token";
import { commonParams, type CommonParams } from "../s3/list-params";
import { ownerById, ownerElement } from "../s3/owner";

export async function listObjects(ctx: S3Context): Promise<S3Result> {
  const params = commonParams(ctx.target.query);
  const marker = ctx.target.query.get("marker") ?? "";
  const page = await fetchPage(ctx, params, marker);
  const { encode } = params;
  return {
    xml: [
      "ListBucketResult",
      {
        Name: ctx.bucket,
        Prefix: params.prefix, // V1 never encodes it (botocore does not decode it either)
        Marker: encode(marker),
        // S3 sends NextMarker only with a delimiter; without one clients continue after the last key
        NextMarker: page.isTruncated && params.delimiter && page.last !== undefined ? encode(page.last) : undefined,
        MaxKeys: params.maxKeys,
        Delimiter: params.delimiter ? encode(params.delimiter) : undefined,
        IsTruncated: page.isTruncated,
        ...entries(ctx, page, params, true),
        EncodingType: params.encodingType,
      },
    ],
  };
}

export async function listObjectsV2(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const params = commonParams(q);
  const token = q.get("continuation-token") || null; // an empty one is no token
  const startAfter = q.get("start-after") ?? "";
  const after = token !== null ? decodeToken(token) : startAfter;
  const page = await fetchPage(ctx, params, after);
  const { encode } = params;
  return {
    xml: [
      "ListBucketResult",
      {
        Name: ctx.bucket,
        Prefix: encode(params.prefix),
        KeyCount: page.contents.length + page.commonPrefixes.length,
        MaxKeys: params.maxKeys,
        Delimiter: params.delimiter ? encode(params.delimiter) : undefined,
        IsTruncated: page.isTruncated,
        ContinuationToken: token ?? undefined,
        NextContinuationToken: page.isTruncated && page.last !== undefined ? encodeToken(page.last) : undefined,
        StartAfter: startAfter ? encode(startAfter) : undefined,
        ...entries(ctx, page, params, q.get("fetch-owner") === "true"),
        EncodingType: params.encodingType,
      },
    ],
  };
}

async function fetchPage(ctx: S3Context, params: CommonParams, after: string): Promise<ListPage> {
  const query = { prefix: params.prefix, delimiter: params.delimiter, after, maxKeys: params.maxKeys };
  return unwrap(await bucketObject(ctx).list(ctx.caller, query, ctx.consistency?.listLagMs));
}

function entries(ctx: S3Context, page: ListPage, params: CommonParams, withOwner: boolean): XmlElement {
  const owner = withOwner ? (page.ownerId ? ownerById(ctx.config, page.ownerId) : ownerElement(ctx.identity)) : undefined;
  return {
    Contents: page.contents.map((o: ObjectSummary) => ({
      Key: params.encode(o.key),
      LastModified: new Date(o.lastModified).toISOString(),
      ETag: o.etag,
      ChecksumAlgorithm: o.checksumAlgorithm,
      Size: o.size,
      StorageClass: o.storageClass ?? "STANDARD",
      Owner: owner,
    })),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: params.encode(prefix) })),
  };
}
