/**
 * Bucket policies enforced on requests, in strict mode (a stack of its own, so that unsigned
 * requests are anonymous): a public-read policy read unsigned once the public access block
 * allows it, RestrictPublicBuckets, an explicit Deny over the owner (who keeps the policy
 * itself), a foreign key allowed by ARN with an `s3:prefix` condition, DeleteObjects judged
 * per key, copy sources, and conditions on the request's headers and address.
 */
import {
  CopyObjectCommand,
  DeleteBucketPolicyCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  DeletePublicAccessBlockCommand,
  GetBucketPolicyStatusCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketPolicyCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY, OTHER_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { newBucket, s3Client, s3Error } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

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

async function bucketWith(prefix: string, keys: string[]): Promise<string> {
  const bucket = await newBucket(prefix, owner);
  for (const key of keys) await owner.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `bytes of ${key}` }));
  return bucket;
}

function setPolicy(bucket: string, ...statements: object[]) {
  return owner.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
}

const anonymousGet = (bucket: string, key: string) => fetch(`${stack.endpoint}/${bucket}/${key}`);

describe("bucket policy", () => {
  it("policy › a public-read policy lets unsigned requests read objects once the public access block allows it; nothing more", async () => {
    const bucket = await bucketWith("public", ["a.txt"]);
    await expectErrorDocument(await anonymousGet(bucket, "a.txt"), 403, "AccessDenied", `/${bucket}/a.txt`);
    const publicRead = { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` };
    expect(await s3Error(setPolicy(bucket, publicRead))).toEqual(DENIED); // BlockPublicPolicy, on by default
    await owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    await setPolicy(bucket, publicRead);
    expect((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic).toBe(true);

    const got = await anonymousGet(bucket, "a.txt");
    expect(got.status).toBe(200);
    expect(await got.text()).toBe("bytes of a.txt");
    expect((await fetch(`${stack.endpoint}/${bucket}/a.txt`, { method: "HEAD" })).status).toBe(200);
    await expectErrorDocument(await anonymousGet(bucket, "missing"), 404, "NoSuchKey", `/${bucket}/missing`);
    await expectErrorDocument(await fetch(`${stack.endpoint}/${bucket}?list-type=2`), 403, "AccessDenied", `/${bucket}`);
    await expectErrorDocument(await fetch(`${stack.endpoint}/${bucket}/new.txt`, { method: "PUT", body: "anonymous" }), 403, "AccessDenied", `/${bucket}/new.txt`);
    await expectErrorDocument(await fetch(`${stack.endpoint}/${bucket}/a.txt`, { method: "DELETE" }), 403, "AccessDenied", `/${bucket}/a.txt`);
    expect(await s3Error(other.send(new PutObjectCommand({ Bucket: bucket, Key: "a.txt", Body: "theirs" })))).toEqual(DENIED);
    // a signed foreign key is "everyone" too
    expect(await (await other.send(new GetObjectCommand({ Bucket: bucket, Key: "a.txt" }))).Body!.transformToString()).toBe("bytes of a.txt");

    // RestrictPublicBuckets: a public policy then serves only the owner's account
    await owner.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    await expectErrorDocument(await anonymousGet(bucket, "a.txt"), 403, "AccessDenied", `/${bucket}/a.txt`);
    expect(await s3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: "a.txt" })))).toEqual(DENIED);
    expect((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: "a.txt" }))).ContentLength).toBe(14);
  });

  it("policy › an explicit Deny refuses the owner too, per key in DeleteObjects; the owner can still remove the policy", async () => {
    const bucket = await bucketWith("deny", ["protected/x", "loose/y"]);
    await setPolicy(bucket, {
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:DeleteObject", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"],
      Resource: [`arn:aws:s3:::${bucket}/protected/*`, `arn:aws:s3:::${bucket}`],
    });
    expect(await s3Error(owner.send(new DeleteObjectCommand({ Bucket: bucket, Key: "protected/x" })))).toEqual(DENIED);
    const deleted = await owner.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "protected/x" }, { Key: "loose/y" }] } }));
    expect(deleted.Deleted?.map((d) => d.Key)).toEqual(["loose/y"]);
    expect(deleted.Errors?.map((e) => [e.Key, e.Code])).toEqual([["protected/x", "AccessDenied"]]);
    expect((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: "protected/x" }))).ContentLength).toBe(20);

    await owner.send(new DeleteBucketPolicyCommand({ Bucket: bucket }));
    await owner.send(new DeleteObjectCommand({ Bucket: bucket, Key: "protected/x" }));
    expect((await owner.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
  });

  it("policy › a foreign key allowed by its ARN may act where the policy says, listing only under its prefix", async () => {
    const bucket = await bucketWith("shared", ["private.txt"]);
    await setPolicy(
      bucket,
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::owner-other:root" }, Action: ["s3:GetObject", "s3:PutObject"], Resource: `arn:aws:s3:::${bucket}/shared/*` },
      {
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::owner-other:user/other" },
        Action: "s3:ListBucket",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringLike: { "s3:prefix": "shared/*" } },
      },
    );
    expect((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic).toBe(false);
    await other.send(new PutObjectCommand({ Bucket: bucket, Key: "shared/from-other", Body: "hello owner" }));
    expect(await (await owner.send(new GetObjectCommand({ Bucket: bucket, Key: "shared/from-other" }))).Body!.transformToString()).toBe("hello owner");
    expect(await (await other.send(new GetObjectCommand({ Bucket: bucket, Key: "shared/from-other" }))).Body!.transformToString()).toBe("hello owner");
    const listed = await other.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "shared/" }));
    expect(listed.Contents?.map((c) => c.Key)).toEqual(["shared/from-other"]);
    expect(await s3Error(other.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual(DENIED);
    expect(await s3Error(other.send(new GetObjectCommand({ Bucket: bucket, Key: "private.txt" })))).toEqual(DENIED);
    expect(await s3Error(other.send(new PutObjectCommand({ Bucket: bucket, Key: "elsewhere", Body: "x" })))).toEqual(DENIED);
    expect(await s3Error(other.send(new DeleteObjectCommand({ Bucket: bucket, Key: "shared/from-other" })))).toEqual(DENIED);
    expect(await s3Error(other.send(new GetBucketPolicyStatusCommand({ Bucket: bucket })))).toEqual(DENIED);

    // a copy needs the read of its source: the other key's own bucket cannot take private.txt
    const theirs = await newBucket("theirs", other);
    expect(await s3Error(other.send(new CopyObjectCommand({ Bucket: theirs, Key: "copy", CopySource: `${bucket}/private.txt` })))).toEqual(DENIED);
    await other.send(new CopyObjectCommand({ Bucket: theirs, Key: "copy", CopySource: `${bucket}/shared/from-other` }));
    expect(await (await other.send(new GetObjectCommand({ Bucket: theirs, Key: "copy" }))).Body!.transformToString()).toBe("hello owner");
  });

  it("policy › conditions on the request: encryption headers required, plain HTTP denied, a source address range", async () => {
    const bucket = await bucketWith("conditions", ["k"]);
    await setPolicy(bucket, { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/*`, Condition: { Null: { "s3:x-amz-server-side-encryption": "true" } } });
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: "plain", Body: "x" })))).toEqual(DENIED);
    await owner.send(new PutObjectCommand({ Bucket: bucket, Key: "encrypted", Body: "x", ServerSideEncryption: "AES256" }));

    await setPolicy(bucket, {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(await s3Error(owner.send(new GetObjectCommand({ Bucket: bucket, Key: "k" })))).toEqual(DENIED);
    expect(await s3Error(owner.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual(DENIED);

    // even the owner's PutPublicAccessBlock is denied now; its policy calls are not
    expect(await s3Error(owner.send(new DeletePublicAccessBlockCommand({ Bucket: bucket })))).toEqual(DENIED);
    // an address condition makes a policy for everyone non-public: the public access block lets it be
    await setPolicy(bucket, { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*`, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } });
    expect((await owner.send(new GetBucketPolicyStatusCommand({ Bucket: bucket }))).PolicyStatus?.IsPublic).toBe(false);
    expect((await anonymousGet(bucket, "k")).status).toBe(403);
    await setPolicy(bucket, {
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.0/8", "::1/128"] } },
    });
    expect((await anonymousGet(bucket, "k")).status).toBe(200);
  });

  it("owner › x-amz-expected-bucket-owner (and a copy source's) refuses a bucket of another owner before anything is done", async () => {
    const bucket = await bucketWith("expected", ["k"]);
    expect((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: "k", ExpectedBucketOwner: "owner-test" }))).ContentLength).toBe(10);
    expect(await s3Error(owner.send(new GetObjectCommand({ Bucket: bucket, Key: "k", ExpectedBucketOwner: "owner-other" })))).toEqual(DENIED);
    expect(await s3Error(owner.send(new PutObjectCommand({ Bucket: bucket, Key: "n", Body: "x", ExpectedBucketOwner: "owner-other" })))).toEqual(DENIED);
    expect(await s3Error(owner.send(new GetObjectCommand({ Bucket: bucket, Key: "n" })))).toEqual({ code: "NoSuchKey", status: 404 });
    const copy = (ExpectedSourceBucketOwner: string) => owner.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy", CopySource: `${bucket}/k`, ExpectedSourceBucketOwner }));
    expect(await s3Error(copy("owner-other"))).toEqual(DENIED);
    await copy("owner-test");
    expect((await owner.send(new GetObjectCommand({ Bucket: bucket, Key: "copy" }))).ContentLength).toBe(10);
  });

  it("policy › a condition with an unknown operator is MalformedPolicy", async () => {
    const bucket = await bucketWith("malformed", []);
    const bad = { Effect: "Allow", Principal: { AWS: "owner-other" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringSortOf: { "s3:prefix": "x" } } };
    expect(await s3Error(setPolicy(bucket, bad))).toEqual({ code: "MalformedPolicy", status: 400 });
  });

  it("policy › an anonymous request may not list or create buckets, and learns which buckets do not exist", async () => {
    await expectErrorDocument(await fetch(`${stack.endpoint}/`), 403, "AccessDenied", "/");
    await expectErrorDocument(await fetch(`${stack.endpoint}/no-such-anonymous`, { method: "PUT" }), 403, "AccessDenied", "/no-such-anonymous");
    await expectErrorDocument(await fetch(`${stack.endpoint}/no-such-anonymous/k`, { method: "PUT", body: "x" }), 404, "NoSuchBucket", "/no-such-anonymous/k");
  });
});
