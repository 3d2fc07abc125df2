/**
 * ACLs as a bucket's ownership setting allows them, in strict mode (a stack of its own, so
 * that unsigned requests are anonymous): refused under BucketOwnerEnforced (the default);
 * with ObjectWriter or BucketOwnerPreferred, canned ACLs, grant headers and
 * AccessControlPolicy bodies stored on buckets and objects, answered by Get…Acl and enforced —
 * a public-read object read unsigned, authenticated-read by any key, a bucket's WRITE grant
 * letting another account write objects it then owns — all as the public access block allows.
 */
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  type ObjectOwnership,
  PutBucketAclCommand,
  PutBucketOwnershipControlsCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY, OTHER_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { s3Client, s3Error, uniqueBucketName } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const DENIED = { code: "AccessDenied", status: 403 };

let stack: StackProcess;
let owner: S3Client;
let other: S3Client;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_AUTH: "strict", MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  owner = s3Client(DEFAULT_KEY, stack.endpoint);
  other = s3Client(OTHER_KEY, stack.endpoint);
});
afterAll(() => stack?.stop());

/** A bucket with ACLs enabled and, unless `block`, its public access block removed. */
async function aclBucket(ownership: ObjectOwnership, block = false): Promise<string> {
  const bucket = uniqueBucketName("acl");
  await owner.send(new CreateBucketCommand({ Bucket: bucket, ObjectOwnership: ownership }));
  if (!block) await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
  return bucket;
}

const anonymousStatus = async (path: string, init?: RequestInit) => (await fetch(`${stack.endpoint}/${path}`, init)).status;

describe("ACLs by ownership setting", () => {
  it("acl › BucketOwnerEnforced (the default) refuses ACLs that grant anything to anyone else", async () => {
    const bucket = uniqueBucketName("enforced");
    expect(await s3Error(owner.send(new CreateBucketCommand({ Bucket: bucket, ACL: "public-read" })))).toEqual({ code: "InvalidBucketAclWithObjectOwnership", status: 400 });
    await owner.send(new CreateBucketCommand({ Bucket: bucket }));
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ACL: "public-read" })))).toEqual({ code: "AccessControlListNotSupported", status: 400 });
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ACL: "bucket-owner-full-control" }));
    expect(await anonymousStatus(`${bucket}/k`)).toBe(403);
  });

  it("acl › with ObjectWriter, a public-read object is read unsigned, a private one is not; Get…Acl shows the grants", async () => {
    const bucket = await aclBucket("ObjectWriter");
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "public", Body: "for everyone", ACL: "public-read" }));
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "private", Body: "mine" }));
    const got = await fetch(`${stack.endpoint}/${bucket}/public`);
    expect([got.status, await got.text()]).toEqual([200, "for everyone"]);
    expect(await anonymousStatus(`${bucket}/private`)).toBe(403);
    expect(await anonymousStatus(`${bucket}/missing`)).toBe(403);
    expect(await anonymousStatus(`${bucket}?list-type=2`)).toBe(403);
    const acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: "public" }));
    expect(acl.Owner).toEqual({ ID: "owner-test", DisplayName: "test" });
    expect(acl.Grants).toEqual([
      { Grantee: { Type: "CanonicalUser", ID: "owner-test", DisplayName: "test" }, Permission: "FULL_CONTROL" },
      { Grantee: { Type: "Group", URI: ALL_USERS }, Permission: "READ" },
    ]);
    // the object's ACL gives no right to its ACL
    expect(await s3Error(other.send(new GetObjectAclCommand({ Bucket: bucket, Key: "public" })))).toEqual(DENIED);

    await owner.send(new PutObjectAclCommand({ Bucket: bucket, Key: "public", ACL: "private" }));
    expect(await anonymousStatus(`${bucket}/public`)).toBe(403);
    await owner.send(
      new PutObjectAclCommand({ Bucket: bucket, Key: "private", AccessControlPolicy: { Owner: { ID: "owner-test" }, Grants: [{ Grantee: { Type: "Group", URI: ALL_USERS }, Permission: "READ" }] } }),
    );
    expect(await anonymousStatus(`${bucket}/private`)).toBe(200);
  });

  it("acl › authenticated-read lets any key read, not an unsigned request; a grant header names one account", async () => {
    const bucket = await aclBucket("BucketOwnerPreferred");
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "signed-only", Body: "signed", ACL: "authenticated-read" }));
    expect(await (await other.send(new GetObjectCommand({ Bucket: bucket, Key: "signed-only" }))).Body!.transformToString()).toBe("signed");
    expect(await anonymousStatus(`${bucket}/signed-only`)).toBe(403);
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "for-other", Body: "yours", GrantRead: 'id="owner-other"' }));
    expect(await (await other.send(new GetObjectCommand({ Bucket: bucket, Key: "for-other" }))).Body!.transformToString()).toBe("yours");
    const acl = await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: "for-other" }));
    expect(acl.Grants).toContainEqual({ Grantee: { Type: "CanonicalUser", ID: "owner-other", DisplayName: "other" }, Permission: "READ" });
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: "x", Body: "x", GrantRead: 'emailAddress="a@example.com"' })))).toEqual({
      code: "UnresolvableGrantByEmailAddress",
      status: 400,
    });
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: "x", Body: "x", ACL: "public-read", GrantRead: 'id="owner-other"' })))).toEqual({
      code: "InvalidRequest",
      status: 400,
    });
  });

  it("acl › a bucket's grants let others list and write; who owns what they write depends on the ownership setting", async () => {
    const bucket = await aclBucket("ObjectWriter");
    expect(await s3Error(other.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })))).toEqual(DENIED);
    await owner.send(new PutBucketAclCommand({ Bucket: bucket, GrantWrite: 'id="owner-other"', GrantRead: `uri="${ALL_USERS}"`, GrantFullControl: 'id="owner-test"' }));
    const bucketAcl = await owner.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(bucketAcl.Grants?.map((g) => g.Permission).sort()).toEqual(["FULL_CONTROL", "READ", "WRITE"]);
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "listed", Body: "x" }));
    const listing = await fetch(`${stack.endpoint}/${bucket}?list-type=2&fetch-owner=true`);
    // the owner a listing names is the bucket's, not the anonymous requester
    expect([listing.status, (await listing.text()).match(/<Owner><ID>([^<]*)<\/ID>/)?.[1]]).toEqual([200, "owner-test"]);

    await other.send(new PutObjectCommand({ Bucket: bucket, Key: "by-other", Body: "written by other" }));
    expect((await other.send(new GetObjectAclCommand({ Bucket: bucket, Key: "by-other" }))).Owner?.ID).toBe("owner-other");
    // BucketOwnerPreferred: bucket-owner-full-control hands the object to the bucket owner
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] } }));
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: "handed-over", Body: "x", ACL: "bucket-owner-full-control" }));
    expect((await owner.send(new GetObjectAclCommand({ Bucket: bucket, Key: "handed-over" }))).Owner?.ID).toBe("owner-test");
    expect(await s3Error(other.send(new GetObjectAclCommand({ Bucket: bucket, Key: "handed-over" })))).toEqual(DENIED);
    // back to BucketOwnerEnforced: ACLs stop counting
    await owner.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } }));
    expect(await anonymousStatus(`${bucket}?list-type=2`)).toBe(403);
    expect(await s3Error(other.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })))).toEqual(DENIED);
  });

  it("acl › the public access block: BlockPublicAcls refuses public ACLs, IgnorePublicAcls ignores those stored", async () => {
    const blocked = await aclBucket("ObjectWriter", true);
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: blocked, Key: "k", Body: "x", ACL: "public-read" })))).toEqual(DENIED);
    expect(await s3Error(owner.send(new PutBucketAclCommand({ Bucket: blocked, ACL: "public-read" })))).toEqual(DENIED);

    const bucket = await aclBucket("ObjectWriter");
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x", ACL: "public-read" }));
    expect(await anonymousStatus(`${bucket}/k`)).toBe(200);
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    expect(await anonymousStatus(`${bucket}/k`)).toBe(403);
  });

  it("acl › a multipart upload's ACL, given at its creation, is the object's", async () => {
    const bucket = await aclBucket("ObjectWriter");
    const { UploadId } = await owner.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "mp", ACL: "public-read" }));
    const part = await owner.send(new UploadPartCommand({ Bucket: bucket, Key: "mp", UploadId, PartNumber: 1, Body: "one part" }));
    expect(await anonymousStatus(`${bucket}/mp`)).toBe(403);
    await owner.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "mp", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    const got = await fetch(`${stack.endpoint}/${bucket}/mp`);
    expect([got.status, await got.text()]).toEqual([200, "one part"]);
  });
});
