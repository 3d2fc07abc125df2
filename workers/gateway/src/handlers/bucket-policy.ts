/**
 * Get/Put/DeleteBucketPolicy and GetBucketPolicyStatus. The policy is JSON, kept as the text
 * that was put (S3 gives back what it was given) once bucket-config/policy-document.ts has
 * checked it, and while the public access block allows it (BlockPublicPolicy).
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { readBodyText } from "../body/read-body";
import { checkPolicy, isPublic } from "../bucket-config/policy-document";
import { publicAccessBlock } from "../bucket-config/simple-kinds";
import { storedDocument } from "../bucket-config/stored-document";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";

const POLICY = "policy";

async function storedPolicy(ctx: S3Context): Promise<string> {
  const { document } = unwrap(await bucketObject(ctx).getConfig(ctx.caller, POLICY));
  if (typeof document !== "string") throw new S3Error("NoSuchBucketPolicy", undefined, { BucketName: ctx.bucket });
  return document;
}

export async function getBucketPolicy(ctx: S3Context): Promise<S3Result> {
  return { headers: { "content-type": "application/json" }, body: new TextEncoder().encode(await storedPolicy(ctx)) };
}

/**
 * As on S3, a public policy is refused while the bucket's public access block has
 * BlockPublicPolicy on — which a bucket made since 2023 has until it is turned off.
 */
export async function putBucketPolicy(ctx: S3Context): Promise<S3Result> {
  const text = await readBodyText(ctx, 64 * 1024);
  checkPolicy(text, ctx.bucket);
  if (isPublic(text) && (await storedDocument(ctx, publicAccessBlock))?.BlockPublicPolicy === true)
    throw new S3Error("AccessDenied", "User is not authorized to perform: s3:PutBucketPolicy because public policies are blocked by the BlockPublicPolicy block public access setting.");
  unwrap(await bucketObject(ctx).setConfig(ctx.caller, POLICY, text));
  return { status: 204 };
}

export async function deleteBucketPolicy(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).setConfig(ctx.caller, POLICY, null));
  return { status: 204 };
}

export async function getBucketPolicyStatus(ctx: S3Context): Promise<S3Result> {
  return { xml: ["PolicyStatus", { IsPublic: isPublic(await storedPolicy(ctx)) }] };
}
