/**
 * Bucket lifecycle: CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation and
 * GetBucketVersioning (never enabled until versioning lands: an empty configuration).
 * A bucket's Durable Object decides existence and ownership; the registry indexes it for
 * ListBuckets and is written after it.
 */
import type { AclRequest } from "../../../../shared/access/acl";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { objectLock } from "../bucket-config/object-lock-kind";
import { OWNERSHIP, ownershipControls } from "../bucket-config/simple-kinds";
import { storedText } from "../bucket-config/stored-document";
import { parseXml } from "../body/xml-body";
import { readBodyText } from "../body/read-body";
import { isValidBucketName } from "../s3/bucket-name";
import { bucketObject, registry, type S3Context, type S3Result } from "../s3/context";
import { aclRequestFromHeaders } from "../s3/acl-request";
import { release } from "./object-writes";

export async function createBucket(ctx: S3Context): Promise<S3Result> {
  if (!isValidBucketName(ctx.bucket)) throw new S3Error("InvalidBucketName", undefined, { BucketName: ctx.bucket });
  const region = await requestedRegion(ctx);
  const { info } = unwrap(await bucketObject(ctx).create(ctx.bucket, ctx.caller, region, creationSettings(ctx.request.headers)));
  // Also when the bucket existed: an earlier create may have stopped before this step.
  await registry(ctx.env).add({ name: info.name, ownerId: info.ownerId, region: info.region, createdAt: info.createdAt });
  return { headers: { location: `/${ctx.bucket}` } };
}

/**
 * What CreateBucket's headers set from the start: `x-amz-bucket-object-lock-enabled: true`
 * turns versioning on and Object Lock with it; `x-amz-object-ownership` sets the ownership
 * control (BucketOwnerEnforced, the default, otherwise); `x-amz-acl` or grant headers the
 * bucket's ACL, which that setting must allow.
 */
function creationSettings(headers: Headers): { versioning?: "Enabled"; configs: Record<string, string>; acl?: AclRequest } {
  const configs: Record<string, string> = {};
  const acl = aclRequestFromHeaders(headers);
  const ownership = headers.get("x-amz-object-ownership");
  if (ownership !== null) {
    if (!OWNERSHIP.includes(ownership as (typeof OWNERSHIP)[number]))
      throw new S3Error("InvalidArgument", "Invalid x-amz-object-ownership header", { ArgumentName: "x-amz-object-ownership", ArgumentValue: ownership });
    configs[ownershipControls.subresource] = storedText({ Rule: { ObjectOwnership: ownership } });
  }
  const lock = headers.get("x-amz-bucket-object-lock-enabled")?.toLowerCase();
  const settings = acl ? { configs, acl } : { configs };
  if (lock !== "true") return settings;
  configs[objectLock.subresource] = storedText({ ObjectLockEnabled: "Enabled" });
  return { versioning: "Enabled", ...settings };
}

/** The LocationConstraint of the request body: the configured region, or absent. */
async function requestedRegion(ctx: S3Context): Promise<string> {
  const text = await readBodyText(ctx);
  if (!text.trim()) return ctx.config.region;
  const doc = parseXml(text, { depth: 3 });
  const configuration = doc?.CreateBucketConfiguration;
  if (configuration === undefined) throw new S3Error("MalformedXML");
  const constraint = typeof configuration === "object" && configuration !== null ? (configuration as Record<string, unknown>).LocationConstraint : undefined;
  if (typeof constraint === "string" && constraint && constraint !== ctx.config.region) {
    throw new S3Error("IllegalLocationConstraintException", `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
  }
  return ctx.config.region;
}

export async function headBucket(ctx: S3Context): Promise<S3Result> {
  const info = unwrap(await bucketObject(ctx).describe(ctx.caller));
  return { headers: { "x-amz-bucket-region": info.region } };
}

export async function deleteBucket(ctx: S3Context): Promise<S3Result> {
  const { dropped, released } = unwrap(await bucketObject(ctx).drop(ctx.caller));
  release(ctx, released);
  await registry(ctx.env).remove({ name: dropped.name, ownerId: dropped.ownerId, region: dropped.region, createdAt: dropped.createdAt });
  return { status: 204 };
}

export async function getBucketLocation(ctx: S3Context): Promise<S3Result> {
  const info = unwrap(await bucketObject(ctx).describe(ctx.caller));
  // us-east-1 answers an empty LocationConstraint, as S3 does.
  return { xml: ["LocationConstraint", { "#text": info.region === "us-east-1" ? "" : info.region }] };
}

export async function getBucketVersioning(ctx: S3Context): Promise<S3Result> {
  const info = unwrap(await bucketObject(ctx).describe(ctx.caller));
  // A bucket that was never versioned answers an empty configuration, as S3 does.
  return { xml: ["VersioningConfiguration", info.versioning === "Unversioned" ? {} : { Status: info.versioning }] };
}

/** PutBucketVersioning: Enabled or Suspended. MFA delete is not supported. */
export async function putBucketVersioning(ctx: S3Context): Promise<S3Result> {
  const doc = parseXml(await readBodyText(ctx), { depth: 2 });
  const configuration = doc?.VersioningConfiguration as { Status?: unknown; MfaDelete?: unknown } | undefined;
  if (!configuration || typeof configuration !== "object") throw new S3Error("MalformedXML");
  if (configuration.MfaDelete === "Enabled") throw new S3Error("NotImplemented", "MFA delete is not supported by MockS3.");
  const status = configuration.Status;
  if (status !== "Enabled" && status !== "Suspended") throw new S3Error("IllegalVersioningConfigurationException");
  unwrap(await bucketObject(ctx).setVersioning(ctx.caller, status));
  return {};
}
