/**
 * ACLs (shared/access/acl.ts, durable-objects/bucket/acls.ts): canned ACLs' grants, who a
 * grant lets through, and what the ownership setting and the public access block make of a
 * write's ACL.
 */
import { describe, expect, it } from "vitest";
import { ALL_USERS, AUTHENTICATED_USERS, aclAllows, cannedAcl } from "../../shared/access/acl";
import { bucketAclFor, objectAclFor, replacedObjectAcl, type AclSetting } from "../../durable-objects/bucket/acls";
import { isFailure } from "../../shared/s3-errors";

const OWNER = "owner-test";
const OTHER = "owner-other";
const OFF = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };
const ON = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
const setting = (ownership: AclSetting["ownership"], block = OFF): AclSetting => ({ ownership, block, bucketOwner: OWNER });
const code = (result: unknown) => (isFailure(result) ? result.error : "ok");
const anonymous = { anonymous: true, ownerId: "" };
const other = { anonymous: false, ownerId: OTHER };

describe("ACLs", () => {
  it("acl › canned ACLs grant what their names say, to whom they say", () => {
    const publicRead = cannedAcl("public-read", OWNER, OWNER);
    expect(publicRead.grants).toEqual([
      { grantee: { id: OWNER }, permission: "FULL_CONTROL" },
      { grantee: { group: ALL_USERS }, permission: "READ" },
    ]);
    expect(aclAllows(publicRead, "s3:GetObject", anonymous, true)).toBe(true);
    expect(aclAllows(publicRead, "s3:GetObject", anonymous, false)).toBe(false);
    expect(aclAllows(publicRead, "s3:PutObjectAcl", other, true)).toBe(false);
    const authenticated = cannedAcl("authenticated-read", OWNER, OWNER);
    expect(authenticated.grants[1]).toEqual({ grantee: { group: AUTHENTICATED_USERS }, permission: "READ" });
    expect(aclAllows(authenticated, "s3:GetObject", other, true)).toBe(true);
    expect(aclAllows(authenticated, "s3:GetObject", anonymous, true)).toBe(false);
    const byOther = cannedAcl("bucket-owner-full-control", OTHER, OWNER);
    expect(aclAllows(byOther, "s3:PutObjectAcl", { anonymous: false, ownerId: OWNER }, true)).toBe(true);
    expect(aclAllows(cannedAcl("public-read-write", OWNER, OWNER), "s3:PutObject", anonymous, true)).toBe(true);
  });

  it("acl › BucketOwnerEnforced accepts only the owner's full control, and records nothing", () => {
    expect(objectAclFor({ canned: "bucket-owner-full-control" }, OTHER, setting("BucketOwnerEnforced"))).toBeUndefined();
    expect(objectAclFor(undefined, OTHER, setting("BucketOwnerEnforced"))).toBeUndefined();
    expect(code(objectAclFor({ canned: "public-read" }, OWNER, setting("BucketOwnerEnforced")))).toBe("AccessControlListNotSupported");
    expect(code(bucketAclFor({ grants: [{ grantee: { id: OTHER }, permission: "READ" }] }, setting("BucketOwnerEnforced")))).toBe("AccessControlListNotSupported");
  });

  it("acl › the writer owns its object under ObjectWriter, the bucket owner under BucketOwnerPreferred with bucket-owner-full-control", () => {
    const written = objectAclFor(undefined, OTHER, setting("ObjectWriter"));
    expect(written).toEqual({ owner: OTHER, grants: [{ grantee: { id: OTHER }, permission: "FULL_CONTROL" }] });
    expect(objectAclFor(undefined, OWNER, setting("ObjectWriter"))).toBeUndefined();
    expect(objectAclFor({ canned: "bucket-owner-full-control" }, OTHER, setting("BucketOwnerPreferred"))).toBeUndefined();
    expect((objectAclFor({ canned: "bucket-owner-read" }, OTHER, setting("BucketOwnerPreferred")) as { owner: string }).owner).toBe(OTHER);
    expect((replacedObjectAcl({ canned: "public-read" }, OTHER, setting("ObjectWriter")) as { owner: string }).owner).toBe(OTHER);
  });

  it("acl › BlockPublicAcls refuses public ACLs, not private ones", () => {
    expect(code(objectAclFor({ canned: "public-read" }, OWNER, setting("ObjectWriter", ON)))).toBe("AccessDenied");
    expect(code(bucketAclFor({ grants: [{ grantee: { group: AUTHENTICATED_USERS }, permission: "READ" }] }, setting("ObjectWriter", ON)))).toBe("AccessDenied");
    expect(code(objectAclFor({ grants: [{ grantee: { id: OTHER }, permission: "READ" }] }, OWNER, setting("ObjectWriter", ON)))).toBe("ok");
  });
});
