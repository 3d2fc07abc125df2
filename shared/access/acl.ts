/**
 * Access control lists, as S3 keeps them for buckets and objects whose ownership setting
 * allows ACLs (ObjectWriter, BucketOwnerPreferred): an owner and grants of READ, WRITE,
 * READ_ACP, WRITE_ACP or FULL_CONTROL to a canonical user or to one of S3's groups. The canned
 * ACLs expand to grants here; a grant lets an action through when it carries the permission
 * the action needs (PERMISSION_OF).
 */

export const PERMISSIONS = ["READ", "WRITE", "READ_ACP", "WRITE_ACP", "FULL_CONTROL"] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTHENTICATED_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
export const LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
export const GROUPS: readonly string[] = [ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY];

export type Grantee = { id: string } | { group: string };

export interface Grant {
  grantee: Grantee;
  permission: Permission;
}

export interface Acl {
  /** the owner's canonical id: a bucket's owner, or an object's writer */
  owner: string;
  grants: Grant[];
}

export const CANNED_ACLS = ["private", "public-read", "public-read-write", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write", "aws-exec-read"] as const;
export type CannedAcl = (typeof CANNED_ACLS)[number];

/** A canned ACL's grants: the owner's FULL_CONTROL and what the name adds. */
export function cannedAcl(name: CannedAcl, owner: string, bucketOwner: string): Acl {
  const grants: Grant[] = [{ grantee: { id: owner }, permission: "FULL_CONTROL" }];
  const add = (grantee: Grantee, permission: Permission) => grants.push({ grantee, permission });
  switch (name) {
    case "public-read":
      add({ group: ALL_USERS }, "READ");
      break;
    case "public-read-write":
      add({ group: ALL_USERS }, "READ");
      add({ group: ALL_USERS }, "WRITE");
      break;
    case "authenticated-read":
      add({ group: AUTHENTICATED_USERS }, "READ");
      break;
    case "bucket-owner-read":
      if (bucketOwner !== owner) add({ id: bucketOwner }, "READ");
      break;
    case "bucket-owner-full-control":
      if (bucketOwner !== owner) add({ id: bucketOwner }, "FULL_CONTROL");
      break;
    case "log-delivery-write":
      add({ group: LOG_DELIVERY }, "WRITE");
      add({ group: LOG_DELIVERY }, "READ_ACP");
      break;
    default:
      break;
  }
  return { owner, grants };
}

/** Grants to everyone or to every signed request: what the public access block calls public. */
export function isPublicGrant(grant: Grant): boolean {
  return "group" in grant.grantee && (grant.grantee.group === ALL_USERS || grant.grantee.group === AUTHENTICATED_USERS);
}

/** The permission each action needs of a bucket's or an object's ACL. */
const PERMISSION_OF: Record<string, Permission> = {
  "s3:ListBucket": "READ",
  "s3:ListBucketVersions": "READ",
  "s3:ListBucketMultipartUploads": "READ",
  "s3:PutObject": "WRITE",
  "s3:DeleteObject": "WRITE",
  "s3:DeleteObjectVersion": "WRITE",
  "s3:AbortMultipartUpload": "WRITE",
  "s3:ListMultipartUploadParts": "WRITE",
  "s3:GetBucketAcl": "READ_ACP",
  "s3:PutBucketAcl": "WRITE_ACP",
  "s3:GetObject": "READ",
  "s3:GetObjectVersion": "READ",
  "s3:GetObjectAttributes": "READ",
  "s3:GetObjectVersionAttributes": "READ",
  "s3:GetObjectAcl": "READ_ACP",
  "s3:GetObjectVersionAcl": "READ_ACP",
  "s3:PutObjectAcl": "WRITE_ACP",
  "s3:PutObjectVersionAcl": "WRITE_ACP",
};

/** Actions an object's own ACL answers for; the rest go by the bucket's ACL. */
const OBJECT_ACTIONS = new Set([
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:GetObjectAcl",
  "s3:GetObjectVersionAcl",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
]);

export function isObjectAclAction(action: string): boolean {
  return OBJECT_ACTIONS.has(action);
}

/** Who asks, as grants name them. */
export interface Grantees {
  anonymous: boolean;
  ownerId: string;
}

/** Whether the ACL grants `action` to the caller; public grants count only when `withPublic`. */
export function aclAllows(acl: Acl, action: string, who: Grantees, withPublic: boolean): boolean {
  const needed = PERMISSION_OF[action];
  if (!needed) return false;
  return acl.grants.some((grant) => (grant.permission === needed || grant.permission === "FULL_CONTROL") && granted(grant.grantee, who, withPublic));
}

function granted(grantee: Grantee, who: Grantees, withPublic: boolean): boolean {
  if ("id" in grantee) return !who.anonymous && grantee.id === who.ownerId;
  if (!withPublic) return false;
  return grantee.group === ALL_USERS || (grantee.group === AUTHENTICATED_USERS && !who.anonymous);
}

/** What a request asks for an ACL: a canned one (`x-amz-acl`), or explicit grants (`x-amz-grant-*`, an AccessControlPolicy). */
export type AclRequest = { canned: CannedAcl } | { grants: Grant[] };

/** Whether the request grants anything to AllUsers or AuthenticatedUsers. */
export function isPublicRequest(request: AclRequest): boolean {
  if ("canned" in request) return request.canned === "public-read" || request.canned === "public-read-write" || request.canned === "authenticated-read";
  return request.grants.some(isPublicGrant);
}
