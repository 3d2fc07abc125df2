/**
 * PutBucketCors, GetBucketCors and DeleteBucketCors. The rules live in the bucket's Durable
 * Object; preflights and cross-origin requests read them there (../cors). Like S3,
 * PutBucketCors wants Content-MD5 or a flexible checksum over its body, replaces any earlier
 * configuration, and takes a document of at most 64 KB; DeleteBucketCors answers 204 also
 * when there was nothing to delete.
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { requireIntegrityCheck } from "../body/integrity-check";
import { readBodyText } from "../body/read-body";
import { corsConfigurationXml, MAX_CORS_DOCUMENT_BYTES, parseCorsConfiguration } from "../cors/configuration";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";

export async function putBucketCors(ctx: S3Context): Promise<S3Result> {
  requireIntegrityCheck(ctx);
  const rules = parseCorsConfiguration(await readBodyText(ctx, MAX_CORS_DOCUMENT_BYTES));
  unwrap(await bucketObject(ctx).setCors(ctx.caller, rules));
  return {};
}

export async function getBucketCors(ctx: S3Context): Promise<S3Result> {
  const bucket = bucketObject(ctx);
  // getCors() is public (preflights are unsigned); describe() checks the owner
  const [info, rules] = await Promise.all([bucket.describe(ctx.caller), bucket.getCors()]);
  unwrap(info);
  const configured = unwrap(rules);
  if (!configured) throw new S3Error("NoSuchCORSConfiguration", undefined, { BucketName: ctx.bucket });
  return { xml: corsConfigurationXml(configured) };
}

export async function deleteBucketCors(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).setCors(ctx.caller, null));
  return { status: 204 };
}
