/**
 * ListObjects (V1, still used by rclone and s3cmd) and ListObjectsV2. Contents and common
 * prefixes together count against max-keys, as in S3. With `encoding-type=url` every key
 * and prefix in the answer is percent-encoded (the AWS CLI always asks for it).
 */
import type { ListPage, ObjectSummary } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { uriEncode } from "../auth/sigv4";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { decodeToken, encodeToken } from "../s3/continuation-token";
import { ownerElement } from "../s3/owner";

const MAX_KEYS = 1000;
const MAX_INT32 = 2 ** 31 - 1;

interface CommonParams {
  prefix: string;
  delimiter: string;
  maxKeys: number;
  encode: (value: string) => string;
  encodingType?: "url";
}

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
        Prefix: encode(params.prefix),
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
  const token = q.get("continuation-token");
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

function commonParams(q: URLSearchParams): CommonParams {
  const rawMax = q.get("max-keys");
  // S3 takes any non-negative 32-bit integer (and serves at most 1000); nothing else
  const maxKeys = rawMax === null ? MAX_KEYS : /^\d{1,10}$/.test(rawMax) ? Number(rawMax) : -1;
  if (maxKeys < 0 || maxKeys > MAX_INT32) {
    throw new S3Error("InvalidArgument", "Provided max-keys not an integer or within integer range", { ArgumentName: "max-keys", ArgumentValue: rawMax ?? "" });
  }
  const encodingType = q.get("encoding-type");
  if (encodingType !== null && encodingType !== "url") {
    throw new S3Error("InvalidArgument", "Invalid Encoding Method specified in Request", { ArgumentName: "encoding-type", ArgumentValue: encodingType });
  }
  return {
    prefix: q.get("prefix") ?? "",
    delimiter: q.get("delimiter") ?? "",
    maxKeys: Math.min(maxKeys, MAX_KEYS),
    encode: encodingType === "url" ? (value) => uriEncode(value, true) : (value) => value,
    encodingType: encodingType ?? undefined,
  };
}

async function fetchPage(ctx: S3Context, params: CommonParams, after: string): Promise<ListPage> {
  const query = { prefix: params.prefix, delimiter: params.delimiter, after, maxKeys: params.maxKeys };
  return unwrap(await bucketObject(ctx).list(ctx.caller, query));
}

function entries(ctx: S3Context, page: ListPage, params: CommonParams, withOwner: boolean): XmlElement {
  const owner = withOwner ? ownerElement(ctx.identity) : undefined;
  return {
    Contents: page.contents.map((o: ObjectSummary) => ({
      Key: params.encode(o.key),
      LastModified: new Date(o.lastModified).toISOString(),
      ETag: o.etag,
      ChecksumAlgorithm: o.checksumAlgorithm,
      Size: o.size,
      StorageClass: "STANDARD",
      Owner: owner,
    })),
    CommonPrefixes: page.commonPrefixes.map((prefix) => ({ Prefix: params.encode(prefix) })),
  };
}
