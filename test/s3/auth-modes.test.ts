/**
 * The MOCKS3_AUTH modes and bucket ownership. relaxed is the suite's stack; strict and off
 * each start a stack of their own (about 5 s each), so only this file starts them.
 */
import { randomBytes } from "node:crypto";
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY, OTHER_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { endpoint, newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";
import { chunkedPut, send } from "../helpers/sigv4-by-hand";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

describe("MOCKS3_AUTH=relaxed (the default)", () => {
  it("relaxed › an unsigned curl-style request acts as the first key", async () => {
    const name = uniqueBucketName("unsigned");
    expect((await fetch(`${endpoint()}/${name}`, { method: "PUT" })).status).toBe(200);
    expect((await fetch(`${endpoint()}/${name}/hello.txt`, { method: "PUT", body: "from curl" })).status).toBe(200);
    const listed = await s3Client().send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain(name);
    const got = await s3Client().send(new GetObjectCommand({ Bucket: name, Key: "hello.txt" }));
    expect(await got.Body!.transformToString()).toBe("from curl");
    expect(await s3Error(s3Client(OTHER_KEY).send(new GetObjectCommand({ Bucket: name, Key: "hello.txt" })))).toEqual({ code: "AccessDenied", status: 403 });
  });

  it("relaxed › a signed request is still verified", async () => {
    const response = await signer({ ...DEFAULT_KEY, secretAccessKey: "wrong" }).fetch(`${endpoint()}/`);
    await expectErrorDocument(response, 403, "SignatureDoesNotMatch", "/");
  });
});

describe("MOCKS3_AUTH=strict", () => {
  let stack: StackProcess;
  beforeAll(async () => {
    stack = await startStackProcess({ env: { MOCKS3_AUTH: "strict", MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  });
  afterAll(() => stack?.stop());

  it("strict › an unsigned request is anonymous: AccessDenied on a private bucket, no bucket listed or made", async () => {
    await expectErrorDocument(await fetch(`${stack.endpoint}/`), 403, "AccessDenied", "/");
    await expectErrorDocument(await fetch(`${stack.endpoint}/strict-unsigned`, { method: "PUT" }), 403, "AccessDenied", "/strict-unsigned");
    await expectErrorDocument(await fetch(`${stack.endpoint}/strict-unsigned/k`, { method: "PUT", body: "x" }), 404, "NoSuchBucket", "/strict-unsigned/k");
    const name = await newBucket("strict", s3Client(DEFAULT_KEY, stack.endpoint));
    await expectErrorDocument(await fetch(`${stack.endpoint}/${name}/k`, { method: "PUT", body: "x" }), 403, "AccessDenied", `/${name}/k`);
    await expectErrorDocument(await fetch(`${stack.endpoint}/${name}?list-type=2`), 403, "AccessDenied", `/${name}`);
  });

  it("strict › signed and presigned requests work", async () => {
    const client = s3Client(DEFAULT_KEY, stack.endpoint);
    const name = await newBucket("strict", client);
    await client.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "strictly signed" }));
    const got = await client.send(new GetObjectCommand({ Bucket: name, Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("strictly signed");
    const presigned = await signer().sign(`${stack.endpoint}/${name}/k`, { aws: { signQuery: true } });
    expect(await (await fetch(presigned.url)).text()).toBe("strictly signed");
    expect(await s3Error(s3Client({ ...DEFAULT_KEY, secretAccessKey: "wrong" }, stack.endpoint).send(new ListBucketsCommand({})))).toEqual({ code: "SignatureDoesNotMatch", status: 403 });
  });
});

describe("MOCKS3_AUTH=off", () => {
  let stack: StackProcess;
  beforeAll(async () => {
    stack = await startStackProcess({ env: { MOCKS3_AUTH: "off", MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  });
  afterAll(() => stack?.stop());

  it("off › a wrong signature is accepted, as the key it names", async () => {
    const wrong = s3Client({ ...DEFAULT_KEY, secretAccessKey: "wrong" }, stack.endpoint);
    const name = await newBucket("off", wrong);
    await wrong.send(new PutObjectCommand({ Bucket: name, Key: "k", Body: "unverified" }));
    const got = await s3Client(DEFAULT_KEY, stack.endpoint).send(new GetObjectCommand({ Bucket: name, Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("unverified");
  });

  it("off › an unknown key, an expired URL and a wrong chunk signature are accepted", async () => {
    const name = await newBucket("off", s3Client({ accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" }, stack.endpoint));
    const listed = await s3Client(DEFAULT_KEY, stack.endpoint).send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain(name);
    const data = randomBytes(100_000);
    const put = chunkedPut({ url: `${stack.endpoint}/${name}/chunks`, key: DEFAULT_KEY, data, mode: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", chunkSize: 8192, badChunkSignature: 2 });
    expect((await send(put)).status).toBe(200);
    const expired = await signer().sign(`${stack.endpoint}/${name}/chunks?X-Amz-Expires=1`, { aws: { signQuery: true, datetime: "20200101T000000Z" } });
    const got = await fetch(expired.url);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(data)).toBe(true);
  });
});

describe("Ownership", () => {
  let theirs: string;
  const mine = () => s3Client(DEFAULT_KEY);
  beforeAll(async () => {
    theirs = await newBucket("theirs", s3Client(OTHER_KEY));
    await s3Client(OTHER_KEY).send(new PutObjectCommand({ Bucket: theirs, Key: "k", Body: "their bytes" }));
  });

  it("Ownership › GetObject, PutObject and ListObjectsV2 on another owner's bucket are AccessDenied", async () => {
    expect(await s3Error(mine().send(new GetObjectCommand({ Bucket: theirs, Key: "k" })))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(mine().send(new PutObjectCommand({ Bucket: theirs, Key: "k", Body: "mine" })))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(mine().send(new ListObjectsV2Command({ Bucket: theirs })))).toEqual({ code: "AccessDenied", status: 403 });
    const got = await s3Client(OTHER_KEY).send(new GetObjectCommand({ Bucket: theirs, Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("their bytes");
  });

  it("Ownership › HeadBucket on another owner's bucket is 403", async () => {
    expect((await s3Error(mine().send(new HeadBucketCommand({ Bucket: theirs })))).status).toBe(403);
  });

  it("Ownership › another owner's bucket is not in ListBuckets, and CreateBucket of it is BucketAlreadyExists", async () => {
    expect((await mine().send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? []).not.toContain(theirs);
    expect((await s3Client(OTHER_KEY).send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toContain(theirs);
    expect(await s3Error(mine().send(new CreateBucketCommand({ Bucket: theirs })))).toEqual({ code: "BucketAlreadyExists", status: 409 });
  });
});
