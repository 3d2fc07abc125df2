/** Object tagging and object ACLs against the real stack. */
import { createHash } from "node:crypto";
import {
  DeleteObjectTaggingCommand,
  GetObjectAclCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectAclCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type Tag,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
const other = s3Client(OTHER_KEY);
const OWNER = { ID: "owner-test", DisplayName: "test" };
const invalidTag = { code: "InvalidTag", status: 400 };

let bucket: string;
let counter = 0;

async function object(tagging?: string): Promise<string> {
  const key = `obj-${counter++}`;
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "tagged", Tagging: tagging }));
  return key;
}

async function tagsOf(key: string): Promise<Tag[] | undefined> {
  return (await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet;
}

function putTags(key: string, TagSet: Tag[]) {
  return s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet } }));
}

beforeAll(async () => {
  bucket = await newBucket("tagging");
});

describe("PutObjectTagging", () => {
  it("round-trips a tag set through GetObjectTagging, replacing the previous one", async () => {
    const key = await object("old=1");
    const tags = [
      { Key: "project", Value: "mock s3" },
      { Key: "empty", Value: "" },
      { Key: "ünïcode", Value: "日本語 & <xml>" },
      { Key: "a+b/c:d@e", Value: "=.-_" },
    ];
    const put = await putTags(key, tags);
    expect(put.$metadata.httpStatusCode).toBe(200);
    expect(await tagsOf(key)).toEqual(tags);
  });

  it("leaves the object's ETag and Last-Modified alone", async () => {
    const key = await object();
    const before = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await putTags(key, [{ Key: "k", Value: "v" }]);
    const after = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.LastModified).toEqual(before.LastModified);
    expect(after.TagCount).toBe(1);
  });

  it("accepts the limits: 10 tags, 128-character keys, 256-character values", async () => {
    const key = await object();
    const ten = Array.from({ length: 10 }, (_, i) => ({ Key: `k${i}`, Value: `v${i}` }));
    await putTags(key, ten);
    expect(await tagsOf(key)).toEqual(ten);
    const long = [{ Key: "é".repeat(128), Value: "v".repeat(256) }];
    await putTags(key, long);
    expect(await tagsOf(key)).toEqual(long);
  });

  it.each([
    ["more than 10 tags", Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }))],
    [
      "a repeated key",
      [
        { Key: "dup", Value: "1" },
        { Key: "dup", Value: "2" },
      ],
    ],
    ["the reserved aws: prefix", [{ Key: "aws:createdBy", Value: "me" }]],
    ["a key longer than 128 characters", [{ Key: "k".repeat(129), Value: "v" }]],
    ["a value longer than 256 characters", [{ Key: "k", Value: "v".repeat(257) }]],
    ["an empty key", [{ Key: "", Value: "v" }]],
  ])("refuses %s with InvalidTag, keeping the tags it had", async (_what, tags) => {
    const key = await object("keep=me");
    expect(await s3Error(putTags(key, tags))).toEqual(invalidTag);
    expect(await tagsOf(key)).toEqual([{ Key: "keep", Value: "me" }]);
  });

  it("refuses a malformed document with MalformedXML", async () => {
    const key = await object();
    for (const body of ["<Tagging><TagSet>", "<Tags/>", "<Tagging><TagSet><Tag><Value>v</Value></Tag></TagSet></Tagging>", "<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"]) {
      const md5 = createHash("md5").update(body).digest("base64");
      const response = await signer().fetch(`${endpoint()}/${bucket}/${key}?tagging`, { method: "PUT", body, headers: { "content-md5": md5 } });
      expect(response.status, body).toBe(400);
      expect(await response.text(), body).toContain("<Code>MalformedXML</Code>");
    }
  });

  it("reads an empty <Value/> as an empty value", async () => {
    const key = await object();
    const body = '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>k</Key><Value/></Tag></TagSet></Tagging>';
    const md5 = createHash("md5").update(body).digest("base64");
    const response = await signer().fetch(`${endpoint()}/${bucket}/${key}?tagging`, { method: "PUT", body, headers: { "content-md5": md5 } });
    expect(response.status).toBe(200);
    expect(await tagsOf(key)).toEqual([{ Key: "k", Value: "" }]);
  });

  it("answers NoSuchKey for a missing key and AccessDenied for another owner's bucket", async () => {
    expect(await s3Error(putTags("missing", [{ Key: "k", Value: "v" }]))).toEqual({ code: "NoSuchKey", status: 404 });
    const key = await object();
    const theirs = other.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: key, Tagging: { TagSet: [{ Key: "k", Value: "v" }] } }));
    expect(await s3Error(theirs)).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("GetObjectTagging", () => {
  it("answers an empty tag set for an untagged object", async () => {
    const key = await object();
    expect(await tagsOf(key)).toEqual([]);
  });

  it("answers NoSuchKey for a missing key and AccessDenied for another owner's bucket", async () => {
    expect(await s3Error(s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "missing" })))).toEqual({ code: "NoSuchKey", status: 404 });
    const key = await object("a=1");
    expect(await s3Error(other.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key })))).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("DeleteObjectTagging", () => {
  it("removes every tag with 204", async () => {
    const key = await object("a=1&b=2");
    const deleted = await s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: key }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await tagsOf(key)).toEqual([]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).TagCount).toBeUndefined();
  });

  it("answers NoSuchKey for a missing key", async () => {
    expect(await s3Error(s3.send(new DeleteObjectTaggingCommand({ Bucket: bucket, Key: "missing" })))).toEqual({ code: "NoSuchKey", status: 404 });
  });
});

describe("PutObject › x-amz-tagging", () => {
  it("stores the tags of the header, reported as x-amz-tagging-count on GET and HEAD", async () => {
    const key = await object("team=core&note=a%20b%26c&empty=");
    expect(await tagsOf(key)).toEqual([
      { Key: "team", Value: "core" },
      { Key: "note", Value: "a b&c" },
      { Key: "empty", Value: "" },
    ]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).TagCount).toBe(3);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    expect(got.TagCount).toBe(3);
    expect(await got.Body!.transformToString()).toBe("tagged");
  });

  it("sends no x-amz-tagging-count for an untagged object", async () => {
    const key = await object();
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).TagCount).toBeUndefined();
  });

  it("refuses invalid header tags with InvalidTag, storing nothing", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&");
    for (const tagging of [eleven, "aws:x=1", "dup=1&dup=2", `${"k".repeat(129)}=v`]) {
      const key = `bad-header-${counter++}`;
      expect(await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x", Tagging: tagging }))), tagging).toEqual(invalidTag);
      expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).toMatchObject({ status: 404 });
    }
  });
});

describe("GetObjectAcl", () => {
  it("answers the owner with FULL_CONTROL", async () => {
    const key = await object();
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }));
    expect(acl.Owner).toEqual(OWNER);
    expect(acl.Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ...OWNER }, Permission: "FULL_CONTROL" }]);
  });

  it("answers NoSuchKey for a missing key and AccessDenied for another owner's bucket", async () => {
    expect(await s3Error(s3.send(new GetObjectAclCommand({ Bucket: bucket, Key: "missing" })))).toEqual({ code: "NoSuchKey", status: 404 });
    const key = await object();
    expect(await s3Error(other.send(new GetObjectAclCommand({ Bucket: bucket, Key: key })))).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("PutObjectAcl", () => {
  let key: string;
  beforeAll(async () => {
    key = await object();
  });

  it("accepts private and bucket-owner-full-control", async () => {
    expect((await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: "private" }))).$metadata.httpStatusCode).toBe(200);
    expect((await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: "bucket-owner-full-control" }))).$metadata.httpStatusCode).toBe(200);
  });

  it("refuses public-read and grant headers with AccessControlListNotSupported", async () => {
    const refused = { code: "AccessControlListNotSupported", status: 400 };
    expect(await s3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, ACL: "public-read" })))).toEqual(refused);
    expect(await s3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })))).toEqual(refused);
  });

  it("accepts a policy granting the owner FULL_CONTROL and refuses one granting anyone else", async () => {
    const ownerGrant = { Grantee: { Type: "CanonicalUser" as const, ID: OWNER.ID }, Permission: "FULL_CONTROL" as const };
    await s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, AccessControlPolicy: { Owner: OWNER, Grants: [ownerGrant] } }));
    const publicGrant = { Grantee: { Type: "Group" as const, URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" as const };
    const error = await s3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: key, AccessControlPolicy: { Owner: OWNER, Grants: [ownerGrant, publicGrant] } })));
    expect(error).toEqual({ code: "AccessControlListNotSupported", status: 400 });
  });

  it("answers NoSuchKey for a missing key", async () => {
    expect(await s3Error(s3.send(new PutObjectAclCommand({ Bucket: bucket, Key: "missing", ACL: "private" })))).toEqual({ code: "NoSuchKey", status: 404 });
  });

  it("refuses PutObject with a public canned ACL, storing nothing", async () => {
    expect(await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "public-put", Body: "x", ACL: "public-read" })))).toEqual({
      code: "AccessControlListNotSupported",
      status: 400,
    });
    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "public-put" })))).toMatchObject({ status: 404 });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "private-put", Body: "x", ACL: "private" }));
  });
});
