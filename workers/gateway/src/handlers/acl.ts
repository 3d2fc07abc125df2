/**
 * Get/PutBucketAcl and Get/PutObjectAcl. Since 2023 a bucket's ownership setting is
 * BucketOwnerEnforced unless chosen otherwise: ACLs are then off (only the owner's
 * FULL_CONTROL, and Put…Acl accepts nothing else). With ObjectWriter or BucketOwnerPreferred,
 * ACLs are stored and enforced by the bucket (durable-objects/bucket/acls.ts,
 * bucket-access.ts). A Put…Acl takes a canned ACL, grant headers, or an AccessControlPolicy.
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { parseXml } from "../body/xml-body";
import { readBodyText } from "../body/read-body";
import { aclDocument, aclRequestFromHeaders, aclRequestFromPolicy } from "../s3/acl-request";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { ownerById } from "../s3/owner";
import { versionIdOf } from "../s3/version-id";
import type { AclRequest } from "../../../../shared/access/acl";

export async function getBucketAcl(ctx: S3Context): Promise<S3Result> {
  const acl = unwrap(await bucketObject(ctx).getAcl(ctx.caller));
  return { xml: aclDocument(acl, (id) => ownerById(ctx.config, id).DisplayName) };
}

export async function getObjectAcl(ctx: S3Context): Promise<S3Result> {
  const versionId = versionIdOf(ctx.target.query);
  const acl = unwrap(await bucketObject(ctx).getAcl(ctx.caller, ctx.key, versionId));
  return { xml: aclDocument(acl, (id) => ownerById(ctx.config, id).DisplayName) };
}

export async function putBucketAcl(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).setAcl(ctx.caller, await requestedAcl(ctx)));
  return {};
}

export async function putObjectAcl(ctx: S3Context): Promise<S3Result> {
  const versionId = versionIdOf(ctx.target.query);
  const set = unwrap(await bucketObject(ctx).setAcl(ctx.caller, await requestedAcl(ctx), ctx.key, versionId));
  return set.versionId && versionId ? { headers: { "x-amz-version-id": set.versionId } } : {};
}

/** The headers' ACL, else the body's; a request must give one or the other. */
async function requestedAcl(ctx: S3Context): Promise<AclRequest> {
  const fromHeaders = aclRequestFromHeaders(ctx.request.headers);
  const text = await readBodyText(ctx);
  if (fromHeaders && text.trim()) throw new S3Error("UnexpectedContent", "This request does not support content");
  if (fromHeaders) return fromHeaders;
  if (!text.trim()) throw new S3Error("MissingSecurityHeader", "Your request was missing a required header", { MissingHeaderName: "x-amz-acl" });
  return aclRequestFromPolicy(parseXml(text, { depth: 5, repeated: ["AccessControlPolicy.AccessControlList.Grant"] }));
}
