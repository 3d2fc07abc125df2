/**
 * ACLs, as S3 has them since buckets default to "bucket owner enforced": the owner has
 * FULL_CONTROL and nothing else can be granted. Get…Acl answers that; Put…Acl and an
 * `x-amz-acl` header accept `private` (and `bucket-owner-full-control`, the same thing here)
 * and refuse any other grant with AccessControlListNotSupported.
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { parseXml } from "../body/xml-body";
import { readBodyText } from "../body/read-body";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { ownerElement } from "../s3/owner";
import { versionIdOf } from "../s3/version-id";

const ACCEPTED_CANNED = new Set(["private", "bucket-owner-full-control"]);
const GRANT_HEADERS = ["x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"];

export function assertCannedAcl(acl: string | null): void {
  if (acl !== null && !ACCEPTED_CANNED.has(acl)) throw new S3Error("AccessControlListNotSupported");
}

function accessControlPolicy(ctx: S3Context): S3Result {
  const owner = ownerElement(ctx.identity);
  return {
    xml: [
      "AccessControlPolicy",
      {
        Owner: owner,
        AccessControlList: {
          Grant: {
            Grantee: { "@_xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "@_xsi:type": "CanonicalUser", ...owner },
            Permission: "FULL_CONTROL",
          },
        },
      },
    ],
  };
}

export async function getBucketAcl(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).describe(ctx.caller));
  return accessControlPolicy(ctx);
}

export async function getObjectAcl(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId: versionIdOf(ctx.target.query) }));
  return accessControlPolicy(ctx);
}

export async function putBucketAcl(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).describe(ctx.caller));
  await assertPrivateAcl(ctx);
  return {};
}

export async function putObjectAcl(ctx: S3Context): Promise<S3Result> {
  unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId: versionIdOf(ctx.target.query) }));
  await assertPrivateAcl(ctx);
  return {};
}

/** A canned ACL header, grant headers, or an AccessControlPolicy body granting only the owner. */
async function assertPrivateAcl(ctx: S3Context): Promise<void> {
  const headers = ctx.request.headers;
  assertCannedAcl(headers.get("x-amz-acl"));
  if (GRANT_HEADERS.some((h) => headers.has(h))) throw new S3Error("AccessControlListNotSupported");
  const text = await readBodyText(ctx);
  if (!text.trim()) return;
  const doc = parseXml(text, { depth: 5, repeated: ["AccessControlPolicy.AccessControlList.Grant"] });
  const policy = doc?.AccessControlPolicy as { AccessControlList?: { Grant?: Array<{ Grantee?: { ID?: string }; Permission?: string }> } } | undefined;
  if (!policy) throw new S3Error("MalformedXML");
  const grants = policy.AccessControlList?.Grant ?? [];
  const onlyOwner = grants.every((g) => g.Grantee?.ID === ctx.identity.ownerId && g.Permission === "FULL_CONTROL");
  if (!onlyOwner) throw new S3Error("AccessControlListNotSupported");
}
