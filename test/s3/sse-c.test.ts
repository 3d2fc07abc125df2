/**
 * SSE-C (customer-provided keys) through the JS SDK, which sends the key and computes its MD5,
 * and raw SigV4 requests for what the SDK would not send: the key checked on writes, needed
 * on reads (400 without, 403 with another), echoed as its MD5; the bytes decrypted for whole,
 * ranged and per-part reads, multipart uploads and copies; and stored encrypted on disk.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import {
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectAttributesCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketEncryptionCommand,
  PutObjectCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { MIB, MIN_PART, complete, createUpload } from "../helpers/multipart";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
const KEY = randomBytes(32);
const OTHER = randomBytes(32);
const BIG = 2 * MIB + 512 * 1024 + 7; // three chunks, the last one not a whole AES block
let bucket: string;

const md5Of = (key: Buffer) => createHash("md5").update(key).digest("base64");
const sse = (key: Buffer) => ({ SSECustomerAlgorithm: "AES256", SSECustomerKey: key.toString("base64") });
const sourceSse = (key: Buffer) => ({ CopySourceSSECustomerAlgorithm: "AES256", CopySourceSSECustomerKey: key.toString("base64") });
const PREFIX = "x-amz-server-side-encryption-customer-";
const rawKey = (key: Buffer, md5 = md5Of(key)) => ({ [`${PREFIX}algorithm`]: "AES256", [`${PREFIX}key`]: key.toString("base64"), [`${PREFIX}key-MD5`]: md5 });

async function put(key: string, body: Uint8Array, with_ = KEY) {
  return s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...sse(with_) }));
}

async function read(key: string, extra: Record<string, unknown> = {}): Promise<Uint8Array> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return out.Body!.transformToByteArray();
}

beforeAll(async () => {
  bucket = await newBucket("sse-c");
});

describe("SSE-C", () => {
  it("PutObject › stores with the key; GET and HEAD need it and answer its MD5, not x-amz-server-side-encryption", async () => {
    for (const [key, bytes] of [["small", pattern(100, 3)] as const, ["big", pattern(BIG, 4)] as const]) {
      const written = await put(key, bytes);
      expect([written.SSECustomerAlgorithm, written.SSECustomerKeyMD5, written.ServerSideEncryption]).toEqual(["AES256", md5Of(KEY), undefined]);
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...sse(KEY) }));
      expect([got.SSECustomerAlgorithm, got.SSECustomerKeyMD5, got.ServerSideEncryption, got.ContentLength]).toEqual(["AES256", md5Of(KEY), undefined, bytes.byteLength]);
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes)).toBe(true);
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ...sse(KEY) }));
      expect([head.SSECustomerKeyMD5, head.ContentLength, head.ETag]).toEqual([md5Of(KEY), bytes.byteLength, written.ETag]);
      const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: "bytes=3-50", ...sse(KEY) }));
      expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(bytes.subarray(3, 51))).toBe(true);
      // conditions hold as for any object, once the key is right
      expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: written.ETag, ...sse(KEY) })))).status).toBe(304);
    }
  });

  it("PutObject › SSE-C wins over the bucket's default encryption", async () => {
    const defaulted = await newBucket("sse-c-default");
    const rule = { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms" as const } };
    await s3.send(new PutBucketEncryptionCommand({ Bucket: defaulted, ServerSideEncryptionConfiguration: { Rules: [rule] } }));
    const written = await s3.send(new PutObjectCommand({ Bucket: defaulted, Key: "k", Body: "sealed", ...sse(KEY) }));
    expect([written.SSECustomerKeyMD5, written.ServerSideEncryption]).toEqual([md5Of(KEY), undefined]);
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: defaulted, Key: "k" })))).status).toBe(400);
  });

  it("GetObject › any range decrypts: inside a block, across chunks, a suffix", async () => {
    const bytes = pattern(BIG, 5);
    await put("ranged", bytes);
    for (const [first, last] of [
      [5, 20],
      [MIB - 6, MIB + 25],
      [1_000_003, 2_000_000],
      [BIG - 33, BIG - 1],
    ] as const) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "ranged", Range: `bytes=${first}-${last}`, ...sse(KEY) }));
      expect(got.ContentRange).toBe(`bytes ${first}-${last}/${BIG}`);
      expect(Buffer.from(await got.Body!.transformToByteArray()).equals(bytes.subarray(first, last + 1))).toBe(true);
    }
    expect(Buffer.from(await read("ranged", { Range: "bytes=-33", ...sse(KEY) })).equals(bytes.subarray(BIG - 33))).toBe(true);
  });

  it("GetObject › without the key is 400 InvalidRequest, with another 403 AccessDenied; a key for a plain object is 400", async () => {
    await put("locked", pattern(300, 6));
    const bare = await signer().fetch(objectPathUrl(bucket, "locked"));
    const error = await expectErrorDocument(bare, 400, "InvalidRequest");
    expect(error.Message).toBe("The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "locked", ...sse(OTHER) })))).toEqual({ code: "AccessDenied", status: 403 });
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "locked" })))).status).toBe(400);
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "locked", ...sse(OTHER) })))).status).toBe(403);
    const attributes = { Bucket: bucket, Key: "locked", ObjectAttributes: ["ObjectSize" as const] };
    expect((await s3Error(s3.send(new GetObjectAttributesCommand(attributes)))).code).toBe("InvalidRequest");
    expect((await s3.send(new GetObjectAttributesCommand({ ...attributes, ...sse(KEY) }))).ObjectSize).toBe(300);

    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plain", Body: "plain" }));
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "plain", ...sse(KEY) })))).toEqual({ code: "InvalidRequest", status: 400 });
  });

  it("PutObject › a bad algorithm, key or MD5, a partial set, or SSE-C with x-amz-server-side-encryption is refused and stores nothing", async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [rawKey(KEY, md5Of(OTHER)), "InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided."],
      [{ ...rawKey(KEY), [`${PREFIX}algorithm`]: "AES128" }, "InvalidEncryptionAlgorithmError", "The encryption request you specified is not valid. The valid value is AES256."],
      [rawKey(randomBytes(16)), "InvalidArgument", "The secret key was invalid for the specified algorithm."],
      [{ ...rawKey(KEY), "x-amz-server-side-encryption": "AES256" }, "InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified"],
    ];
    for (const [headers, code, message] of cases) {
      const error = await expectErrorDocument(await signer().fetch(objectPathUrl(bucket, "refused"), { method: "PUT", body: "x", headers }), 400, code);
      expect(error.Message).toBe(message);
    }
    for (const header of ["algorithm", "key", "key-MD5"]) {
      const partial: Record<string, string> = rawKey(KEY);
      delete partial[`${PREFIX}${header}`];
      const error = await expectErrorDocument(await signer().fetch(objectPathUrl(bucket, "refused"), { method: "PUT", body: "x", headers: partial }), 400, "InvalidArgument");
      expect(error.ArgumentName).toBe(`${PREFIX}${header}`);
    }
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "refused" })))).status).toBe(404);
  });

  it("multipart › parts need the upload's key; parts 1 (uploaded twice) and 3 read back whole, by range across them and by part", async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "parts", ...sse(KEY) }));
    expect([created.SSECustomerAlgorithm, created.SSECustomerKeyMD5, created.ServerSideEncryption]).toEqual(["AES256", md5Of(KEY), undefined]);
    const uploadId = created.UploadId!;
    const part = (PartNumber: number, Body: Uint8Array, extra: object) => s3.send(new UploadPartCommand({ Bucket: bucket, Key: "parts", UploadId: uploadId, PartNumber, Body, ...extra }));
    expect(await s3Error(part(1, pattern(10), {}))).toEqual({ code: "InvalidRequest", status: 400 });
    expect(await s3Error(part(1, pattern(10), sse(OTHER)))).toEqual({ code: "InvalidArgument", status: 400 });
    const one = pattern(MIN_PART, 7);
    const three = pattern(MIB + 5, 8);
    // part 1 uploaded twice: the second upload, under a keystream of its own, is the one kept
    await part(1, pattern(MIN_PART, 70), sse(KEY));
    const first = await part(1, one, sse(KEY));
    expect(first.SSECustomerKeyMD5).toBe(md5Of(KEY));
    const third = await part(3, three, sse(KEY));
    await complete(bucket, "parts", uploadId, [
      { PartNumber: 1, ETag: first.ETag },
      { PartNumber: 3, ETag: third.ETag },
    ]);
    const whole = Buffer.concat([one, three]);
    expect(Buffer.from(await read("parts", sse(KEY))).equals(whole)).toBe(true);
    expect(Buffer.from(await read("parts", { Range: `bytes=${MIN_PART - 10}-${MIN_PART + 20}`, ...sse(KEY) })).equals(whole.subarray(MIN_PART - 10, MIN_PART + 21))).toBe(true);
    expect(Buffer.from(await read("parts", { PartNumber: 2, ...sse(KEY) })).equals(three)).toBe(true);
    expect((await s3Error(read("parts"))).status).toBe(400);
  });

  it("CopyObject › an SSE-C source needs its key; copies to plain, to another key, to the same key and in place each read as they should", async () => {
    for (const [source, bytes] of [["copy-small", pattern(200, 9)] as const, ["copy-big", pattern(BIG, 10)] as const]) {
      await put(source, bytes);
      const copy = (Key: string, extra: object) => s3.send(new CopyObjectCommand({ Bucket: bucket, Key, CopySource: `${bucket}/${source}`, ...extra }));
      expect(await s3Error(copy(`${source}-x`, {}))).toEqual({ code: "InvalidRequest", status: 400 });
      expect(await s3Error(copy(`${source}-x`, sourceSse(OTHER)))).toEqual({ code: "AccessDenied", status: 403 });

      expect((await copy(`${source}-plain`, sourceSse(KEY))).ServerSideEncryption).toBe("AES256");
      expect(Buffer.from(await read(`${source}-plain`)).equals(bytes)).toBe(true);
      expect((await copy(`${source}-other`, { ...sourceSse(KEY), ...sse(OTHER) })).SSECustomerKeyMD5).toBe(md5Of(OTHER));
      expect(Buffer.from(await read(`${source}-other`, sse(OTHER))).equals(bytes)).toBe(true);
      expect((await s3Error(read(`${source}-other`, sse(KEY)))).status).toBe(403);
      await copy(`${source}-same`, { ...sourceSse(KEY), ...sse(KEY) });
      expect(Buffer.from(await read(`${source}-same`, sse(KEY))).equals(bytes)).toBe(true);

      // plain → SSE-C, then the key changed in place (no REPLACE needed)
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${source}-sealed`, CopySource: `${bucket}/${source}-plain`, ...sse(KEY) }));
      expect((await s3Error(read(`${source}-sealed`))).status).toBe(400);
      expect(Buffer.from(await read(`${source}-sealed`, sse(KEY))).equals(bytes)).toBe(true);
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${source}-sealed`, CopySource: `${bucket}/${source}-sealed`, ...sourceSse(KEY), ...sse(OTHER) }));
      expect(Buffer.from(await read(`${source}-sealed`, sse(OTHER))).equals(bytes)).toBe(true);
    }
  });

  it("CopyObject and UploadPartCopy › a multipart SSE-C source copies whole to plain, and by range into an upload with another key", async () => {
    const one = pattern(MIN_PART, 11);
    const two = pattern(MIB, 12);
    const uploadId = await createUpload(bucket, "mp-source", sse(KEY));
    const parts = [];
    for (const [i, Body] of [one, two].entries())
      parts.push({ PartNumber: i + 1, ETag: (await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "mp-source", UploadId: uploadId, PartNumber: i + 1, Body, ...sse(KEY) }))).ETag });
    await complete(bucket, "mp-source", uploadId, parts);
    const whole = Buffer.concat([one, two]);

    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "mp-plain", CopySource: `${bucket}/mp-source`, ...sourceSse(KEY) }));
    expect(Buffer.from(await read("mp-plain")).equals(whole)).toBe(true);
    expect(Buffer.from(await read("mp-plain", { PartNumber: 2 })).equals(two)).toBe(true);
    // and back: a plain multipart source into SSE-C, its parts kept
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "mp-sealed", CopySource: `${bucket}/mp-plain`, ...sse(OTHER) }));
    expect(Buffer.from(await read("mp-sealed", { PartNumber: 2, ...sse(OTHER) })).equals(two)).toBe(true);
    expect(Buffer.from(await read("mp-sealed", { Range: `bytes=${MIN_PART - 3}-${MIN_PART + 3}`, ...sse(OTHER) })).equals(whole.subarray(MIN_PART - 3, MIN_PART + 4))).toBe(true);

    const target = await createUpload(bucket, "mp-copy", sse(OTHER));
    const from = MIN_PART - 100;
    const to = MIN_PART + 99;
    const copyPart = (extra: object) =>
      s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: "mp-copy", UploadId: target, PartNumber: 1, CopySource: `${bucket}/mp-source`, CopySourceRange: `bytes=${from}-${to}`, ...extra }));
    expect((await s3Error(copyPart(sse(OTHER)))).code).toBe("InvalidRequest");
    // a copy source's key is checked as a write's, its header named
    const sourceHeaders = Object.entries(rawKey(KEY, md5Of(OTHER))).map(([name, value]) => [name.replace(PREFIX, "x-amz-copy-source-server-side-encryption-customer-"), value]);
    const refused = await signer().fetch(objectPathUrl(bucket, "mp-copy", `?partNumber=1&uploadId=${encodeURIComponent(target)}`), {
      method: "PUT",
      headers: { ...Object.fromEntries(sourceHeaders), ...rawKey(OTHER), "x-amz-copy-source": `${bucket}/mp-source` },
    });
    expect((await expectErrorDocument(refused, 400, "InvalidArgument")).ArgumentName).toBe("x-amz-copy-source-server-side-encryption-customer-key-MD5");
    const copied = await copyPart({ ...sourceSse(KEY), ...sse(OTHER) });
    expect(copied.SSECustomerKeyMD5).toBe(md5Of(OTHER));
    await complete(bucket, "mp-copy", target, [{ PartNumber: 1, ETag: copied.CopyPartResult!.ETag }]);
    expect(Buffer.from(await read("mp-copy", sse(OTHER))).equals(whole.subarray(from, to + 1))).toBe(true);
  });

  it("storage › SSE-C bytes on disk are not the plaintext, while a plain object's are (the check can fail)", async () => {
    const since = Date.now() - 2000; // mtimes may be coarser than the clock
    const marker = (name: string) => `${name}-${randomUUID()}|`;
    const secret = { small: marker("ssec-small"), big: marker("ssec-big") };
    const plain = { small: marker("plain-small"), big: marker("plain-big") };
    const body = (text: string, size: number) => Buffer.from(text.repeat(Math.ceil(size / text.length)).slice(0, size));
    await put("disk-small", body(secret.small, 200));
    await put("disk-big", body(secret.big, BIG));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "disk-plain-small", Body: body(plain.small, 200) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "disk-plain-big", Body: body(plain.big, BIG) }));
    expect(Buffer.from(await read("disk-big", sse(KEY))).equals(body(secret.big, BIG))).toBe(true);

    const found = await onDisk(inject("dataDir"), [...Object.values(secret), ...Object.values(plain)], since);
    expect(found).toEqual(new Set(Object.values(plain)));
  });
});

/**
 * Which of `texts` some file under `dir` written since `since` holds: chunk files and SQLite
 * databases (and their WAL), up to 64 MiB each. Other test files write to the same stack at
 * the same time, so files may vanish while the walk goes on.
 */
async function onDisk(dir: string, texts: string[], since: number): Promise<Set<string>> {
  const found = new Set<string>();
  const needles = texts.map((text) => [text, Buffer.from(text)] as const);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) for (const text of await onDisk(file, texts, since)) found.add(text);
    if (!entry.isFile()) continue;
    const info = await stat(file).catch(() => undefined);
    if (!info || info.size === 0 || info.size > 64 * MIB || info.mtimeMs < since) continue;
    const bytes = await readFile(file).catch(() => undefined);
    for (const [text, needle] of needles) if (bytes?.includes(needle)) found.add(text);
  }
  return found;
}
