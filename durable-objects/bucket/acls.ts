/**
 * The ACL a write or a Put…Acl gives an object or the bucket, as the bucket's ownership setting
 * and public access block allow (bucket-access.ts reads both):
 *   BucketOwnerEnforced — ACLs are off: only `private` and `bucket-owner-full-control` (the
 *                         same thing there) are accepted, anything else is
 *                         AccessControlListNotSupported; the bucket owner owns every object;
 *   BucketOwnerPreferred — the bucket owner owns an object written with
 *                         `bucket-owner-full-control`, the writer any other;
 *   ObjectWriter        — the writer owns what it writes.
 * BlockPublicAcls refuses a public ACL with AccessDenied. An ACL that is the bucket owner's
 * private default is recorded as none.
 */
import { type Acl, type AclRequest, cannedAcl, isPublicRequest } from "../../shared/access/acl";
import type { Failure } from "../../shared/s3-errors";
import type { ObjectOwnership, PublicAccessBlock } from "./bucket-access";

export interface AclSetting {
  ownership: ObjectOwnership;
  block: PublicAccessBlock;
  bucketOwner: string;
}

/** An object's ACL for a write by `writer` ("" when anonymous), or why it is refused. */
export function objectAclFor(request: AclRequest | undefined, writer: string, setting: AclSetting): Acl | undefined | Failure {
  const refused = refusal(request, setting);
  if (refused) return refused;
  if (setting.ownership === "BucketOwnerEnforced") return undefined;
  const ownedByBucket = !writer || (setting.ownership === "BucketOwnerPreferred" && request !== undefined && "canned" in request && request.canned === "bucket-owner-full-control");
  return withoutDefault(aclOf(request, ownedByBucket ? setting.bucketOwner : writer, setting.bucketOwner), setting.bucketOwner);
}

/** The bucket's ACL for CreateBucket or PutBucketAcl, or why it is refused. */
export function bucketAclFor(request: AclRequest, setting: AclSetting): Acl | undefined | Failure {
  return refusal(request, setting) ?? withoutDefault(aclOf(request, setting.bucketOwner, setting.bucketOwner), setting.bucketOwner);
}

/** Put…Acl on an existing object keeps its owner. */
export function replacedObjectAcl(request: AclRequest, owner: string, setting: AclSetting): Acl | undefined | Failure {
  return refusal(request, setting) ?? withoutDefault(aclOf(request, owner, setting.bucketOwner), setting.bucketOwner);
}

function refusal(request: AclRequest | undefined, setting: AclSetting): Failure | undefined {
  if (!request) return undefined;
  if (setting.ownership === "BucketOwnerEnforced") {
    const ownerOnly =
      "canned" in request
        ? request.canned === "private" || request.canned === "bucket-owner-full-control"
        : request.grants.every((g) => "id" in g.grantee && g.grantee.id === setting.bucketOwner && g.permission === "FULL_CONTROL");
    return ownerOnly ? undefined : { error: "AccessControlListNotSupported" };
  }
  if (setting.block.BlockPublicAcls && isPublicRequest(request)) return { error: "AccessDenied", message: "Public ACLs are blocked by the BlockPublicAcls block public access setting." };
  return undefined;
}

function aclOf(request: AclRequest | undefined, owner: string, bucketOwner: string): Acl {
  if (!request) return cannedAcl("private", owner, bucketOwner);
  if ("canned" in request) return cannedAcl(request.canned, owner, bucketOwner);
  return { owner, grants: request.grants };
}

function withoutDefault(acl: Acl, bucketOwner: string): Acl | undefined {
  const [only, ...more] = acl.grants;
  const isDefault = acl.owner === bucketOwner && more.length === 0 && only !== undefined && "id" in only.grantee && only.grantee.id === bucketOwner && only.permission === "FULL_CONTROL";
  return isDefault ? undefined : acl;
}

/** The ACL an object without one has: private to the bucket owner. */
export function defaultAcl(bucketOwner: string): Acl {
  return cannedAcl("private", bucketOwner, bucketOwner);
}
