/** Bucket operations against the real stack: naming, ownership, listing and the fixed sub-resources. */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutObjectCommand,
  type BucketLocationConstraint,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();
const other = s3Client(OTHER_KEY);

describe("CreateBucket", () => {
  const invalid: Array<[string, string]> = [
    ["too short", "ab"],
    ["too long", "a".repeat(64)],
    ["uppercase", "MyBucket-name"],
    ["underscore", "my_bucket"],
    ["IP-address form", "192.168.5.4"],
    ["two adjacent periods", "my..bucket"],
    ["the xn-- prefix", "xn--bucket"],
    ["the -s3alias suffix", "bucket-s3alias"],
    ["a leading hyphen", "-bucket"],
    ["a trailing period", "bucket."],
  ];

  it.each(invalid)("rejects a name that is %s with InvalidBucketName", async (_what, name) => {
    // Raw requests: the name goes on the wire exactly as written, whatever an SDK would say.
    const response = await signer().fetch(`${endpoint()}/${name}`, { method: "PUT" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidBucketName</Code>");
  });

  it("accepts names at the length limits, with periods and hyphens", async () => {
    const shortest = `a${Math.random().toString(36).slice(2, 4).padEnd(2, "0")}`;
    const longest = uniqueBucketName("long").padEnd(63, "x");
    for (const name of [shortest, longest, uniqueBucketName("dots.and-hyphens")]) {
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      await s3.send(new HeadBucketCommand({ Bucket: name }));
      await s3.send(new DeleteBucketCommand({ Bucket: name }));
    }
    expect([shortest.length, longest.length]).toEqual([3, 63]);
  });

  it("answers 200 when the caller re-creates its own bucket (us-east-1)", async () => {
    const bucket = await newBucket("buckets-recreate");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "kept", Body: "still here" }));
    const again = await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(again.Location).toBe(`/${bucket}`);
    // re-creating does not empty the bucket
    expect(await s3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })))).toEqual({ code: "BucketNotEmpty", status: 409 });
  });

  it("refuses another owner's bucket name with BucketAlreadyExists", async () => {
    const bucket = await newBucket("buckets-taken");
    expect(await s3Error(other.send(new CreateBucketCommand({ Bucket: bucket })))).toEqual({ code: "BucketAlreadyExists", status: 409 });
  });

  it("refuses a LocationConstraint other than us-east-1 with IllegalLocationConstraintException", async () => {
    const name = uniqueBucketName("buckets-eu");
    const config = { LocationConstraint: "eu-west-1" as BucketLocationConstraint };
    const error = await s3Error(s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: config })));
    expect(error).toEqual({ code: "IllegalLocationConstraintException", status: 400 });
    expect(await s3Error(s3.send(new HeadBucketCommand({ Bucket: name })))).toMatchObject({ status: 404 });
  });

  it("accepts an explicit empty CreateBucketConfiguration", async () => {
    const name = uniqueBucketName("buckets-emptycfg");
    const body = '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>';
    const response = await signer().fetch(`${endpoint()}/${name}`, { method: "PUT", body });
    expect(response.status).toBe(200);
    await s3.send(new HeadBucketCommand({ Bucket: name }));
  });

  it("refuses a body that is not a CreateBucketConfiguration with MalformedXML", async () => {
    const name = uniqueBucketName("buckets-badcfg");
    const response = await signer().fetch(`${endpoint()}/${name}`, { method: "PUT", body: "<CreateBucketConfiguration>" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>MalformedXML</Code>");
  });
});

describe("HeadBucket", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket("buckets-head");
  });

  it("answers 200 with x-amz-bucket-region", async () => {
    const head = await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(head.BucketRegion).toBe("us-east-1");
  });

  it("answers 404 for a missing bucket", async () => {
    expect(await s3Error(s3.send(new HeadBucketCommand({ Bucket: uniqueBucketName("buckets-none") })))).toEqual({ code: "NotFound", status: 404 });
  });

  it("answers 403 for another owner's bucket", async () => {
    expect(await s3Error(other.send(new HeadBucketCommand({ Bucket: bucket })))).toMatchObject({ status: 403 });
  });
});

describe("DeleteBucket", () => {
  it("deletes an empty bucket with 204, after which it is gone", async () => {
    const bucket = await newBucket("buckets-delete");
    const deleted = await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await s3Error(s3.send(new HeadBucketCommand({ Bucket: bucket })))).toMatchObject({ status: 404 });
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({ Prefix: bucket }));
    expect(Buckets.map((b) => b.Name)).not.toContain(bucket);
  });

  it("refuses a bucket that holds objects with BucketNotEmpty", async () => {
    const bucket = await newBucket("buckets-notempty");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a", Body: "x" }));
    expect(await s3Error(s3.send(new DeleteBucketCommand({ Bucket: bucket })))).toEqual({ code: "BucketNotEmpty", status: 409 });
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  });

  it("answers NoSuchBucket for a missing bucket", async () => {
    expect(await s3Error(s3.send(new DeleteBucketCommand({ Bucket: uniqueBucketName("buckets-none") })))).toEqual({ code: "NoSuchBucket", status: 404 });
  });

  it("refuses another owner's bucket with AccessDenied", async () => {
    const bucket = await newBucket("buckets-delother");
    expect(await s3Error(other.send(new DeleteBucketCommand({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  });

  it("frees the name for another owner", async () => {
    const bucket = await newBucket("buckets-reuse");
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    await other.send(new CreateBucketCommand({ Bucket: bucket }));
    await other.send(new HeadBucketCommand({ Bucket: bucket }));
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({ Prefix: bucket }));
    expect(Buckets).toEqual([]);
    const theirs = await other.send(new ListBucketsCommand({ Prefix: bucket }));
    expect(theirs.Buckets?.map((b) => b.Name)).toEqual([bucket]);
  });
});

describe("ListBuckets", () => {
  const group = uniqueBucketName("lb").replace(/-/g, "");
  const mine = Array.from({ length: 5 }, (_, i) => `${group}-mine-${i}`);
  const theirs = `${group}-theirs`;

  beforeAll(async () => {
    for (const name of mine) await s3.send(new CreateBucketCommand({ Bucket: name }));
    await other.send(new CreateBucketCommand({ Bucket: theirs }));
  });

  it("lists only the caller's buckets, with owner, dates and region", async () => {
    const all = await s3.send(new ListBucketsCommand({}));
    const names = (all.Buckets ?? []).map((b) => b.Name);
    for (const name of mine) expect(names).toContain(name);
    expect(names).not.toContain(theirs);
    expect(all.Owner).toEqual({ ID: "owner-test", DisplayName: "test" });
    const one = all.Buckets!.find((b) => b.Name === mine[0])!;
    expect(one.CreationDate).toBeInstanceOf(Date);
    expect(Math.abs(one.CreationDate!.getTime() - Date.now())).toBeLessThan(5 * 60_000);
    expect(one.BucketRegion).toBe("us-east-1");
    expect([...names].sort()).toEqual(names);
  });

  it("filters by prefix", async () => {
    const page = await s3.send(new ListBucketsCommand({ Prefix: `${group}-mine-` }));
    expect(page.Buckets?.map((b) => b.Name)).toEqual(mine);
    expect(page.Prefix).toBe(`${group}-mine-`);
    expect(page.ContinuationToken).toBeUndefined();
    const otherPage = await other.send(new ListBucketsCommand({ Prefix: group }));
    expect(otherPage.Buckets?.map((b) => b.Name)).toEqual([theirs]);
  });

  it("pages with max-buckets and continuation-token, never repeating or skipping", async () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListBucketsCommand({ Prefix: group, MaxBuckets: 2, ContinuationToken: token }));
      expect(page.Buckets!.length).toBeLessThanOrEqual(2);
      seen.push(...page.Buckets!.map((b) => b.Name!));
      token = page.ContinuationToken;
      pages++;
    } while (token && pages < 10);
    expect(seen).toEqual(mine);
    expect(pages).toBe(3);
  });

  it("filters by bucket-region before paging", async () => {
    const elsewhere = await s3.send(new ListBucketsCommand({ Prefix: group, BucketRegion: "eu-west-1", MaxBuckets: 2 }));
    expect(elsewhere.Buckets ?? []).toEqual([]);
    expect(elsewhere.ContinuationToken).toBeUndefined();
    const here = await s3.send(new ListBucketsCommand({ Prefix: group, BucketRegion: "us-east-1", MaxBuckets: 10 }));
    expect(here.Buckets?.map((b) => b.Name)).toEqual(mine);
  });

  it("refuses a bad continuation token or max-buckets with InvalidArgument", async () => {
    for (const token of ["not a token!", "Zm9v", ""]) {
      const response = await signer().fetch(`${endpoint()}/?continuation-token=${encodeURIComponent(token)}&max-buckets=2`);
      expect(response.status, token).toBe(400);
      expect(await response.text()).toContain("<Code>InvalidArgument</Code>");
    }
    expect(await s3Error(s3.send(new ListBucketsCommand({ MaxBuckets: 0 })))).toEqual({ code: "InvalidArgument", status: 400 });
    for (const max of ["10001", "abc", "1.5", "-1"]) {
      const response = await signer().fetch(`${endpoint()}/?max-buckets=${max}`);
      expect(response.status, max).toBe(400);
    }
  });
});

describe("GetBucketLocation", () => {
  it("answers an empty LocationConstraint for us-east-1", async () => {
    const bucket = await newBucket("buckets-location");
    const response = await signer().fetch(`${endpoint()}/${bucket}?location`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<LocationConstraint xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"(\/>|><\/LocationConstraint>)/);
    const located = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }));
    expect(located.LocationConstraint ?? "").toBe("");
  });

  it("answers NoSuchBucket for a missing bucket and AccessDenied for another owner's", async () => {
    const bucket = await newBucket("buckets-location-other");
    expect(await s3Error(s3.send(new GetBucketLocationCommand({ Bucket: uniqueBucketName("buckets-none") })))).toEqual({ code: "NoSuchBucket", status: 404 });
    expect(await s3Error(other.send(new GetBucketLocationCommand({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("GetBucketVersioning", () => {
  it("answers an empty configuration: versioning was never enabled", async () => {
    const bucket = await newBucket("buckets-versioning");
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(versioning.$metadata.httpStatusCode).toBe(200);
    expect(versioning.Status).toBeUndefined();
    expect(versioning.MFADelete).toBeUndefined();
    const text = await (await signer().fetch(`${endpoint()}/${bucket}?versioning`)).text();
    expect(text).toContain("<VersioningConfiguration");
    expect(text).not.toContain("<Status>");
  });
});

describe("GetBucketAcl", () => {
  it("answers the owner with FULL_CONTROL", async () => {
    const bucket = await newBucket("buckets-acl");
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: bucket }));
    expect(acl.Owner).toEqual({ ID: "owner-test", DisplayName: "test" });
    expect(acl.Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: "owner-test", DisplayName: "test" }, Permission: "FULL_CONTROL" }]);
    expect(await s3Error(other.send(new GetBucketAclCommand({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("PutBucketAcl", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await newBucket("buckets-putacl");
  });

  it("accepts private", async () => {
    const put = await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "private" }));
    expect(put.$metadata.httpStatusCode).toBe(200);
  });

  it("refuses public-read with AccessControlListNotSupported", async () => {
    const error = await s3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: "public-read" })));
    expect(error).toEqual({ code: "AccessControlListNotSupported", status: 400 });
  });

  it("refuses a grant header with AccessControlListNotSupported", async () => {
    const error = await s3Error(s3.send(new PutBucketAclCommand({ Bucket: bucket, GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AllUsers"' })));
    expect(error).toEqual({ code: "AccessControlListNotSupported", status: 400 });
  });

  it("refuses CreateBucket with a public canned ACL while ownership is BucketOwnerEnforced", async () => {
    const name = uniqueBucketName("buckets-publicacl");
    expect(await s3Error(s3.send(new CreateBucketCommand({ Bucket: name, ACL: "public-read" })))).toEqual({
      code: "InvalidBucketAclWithObjectOwnership",
      status: 400,
    });
  });
});
