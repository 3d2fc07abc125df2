/**
 * Multipart uploads end to end: lib-storage's Upload of a large object, the low-level calls,
 * and every refusal S3 makes of them, against the real stack.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListPartsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { complete, createUpload, MIB, MIN_PART, multipartEtag, uploadParts } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { chunkedPut, crc32Base64, send } from "../helpers/sigv4-by-hand";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("multipart");
});

function partUrl(key: string, uploadId: string, partNumber: string | number): string {
  return `${endpoint()}/${bucket}/${encodeURIComponent(key)}?partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`;
}

async function bytesOf(key: string, extra: { PartNumber?: number; VersionId?: string } = {}) {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { got, bytes: Buffer.from(await got.Body!.transformToByteArray()) };
}

describe("multipart upload", () => {
  it("lib-storage › a 26 MiB Upload in 5 MiB parts reads back byte for byte, with S3's multipart ETag", { timeout: 60_000 }, async () => {
    const data = randomBytes(26 * MIB);
    const upload = new Upload({
      client: s3,
      params: { Bucket: bucket, Key: "big/object.bin", Body: data, ContentType: "application/x-big", Metadata: { origin: "lib-storage" } },
      partSize: MIN_PART,
      queueSize: 4,
    });
    const done = await upload.done();
    const parts = Array.from({ length: 6 }, (_, i) => data.subarray(i * MIN_PART, (i + 1) * MIN_PART));
    expect(done.ETag).toBe(multipartEtag(parts));
    expect(done.Location).toBe(`${endpoint()}/${bucket}/big/object.bin`);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "big/object.bin" }));
    expect(head).toMatchObject({ ETag: done.ETag, ContentLength: data.byteLength, ContentType: "application/x-big", Metadata: { origin: "lib-storage" } });
    expect(head.PartsCount).toBeUndefined(); // S3 tells it only to a request for a part
    const first = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "big/object.bin", PartNumber: 1 }));
    expect(first).toMatchObject({ PartsCount: 6, ContentLength: MIN_PART });
    const { bytes } = await bytesOf("big/object.bin");
    expect(bytes.equals(data)).toBe(true);
  });

  it("GetObject › partNumber serves one part of a multipart object, and refuses one past the last", async () => {
    const parts = [pattern(MIN_PART, 1), pattern(MIN_PART, 2), pattern(1000, 3)];
    const uploadId = await createUpload(bucket, "parts.bin");
    await complete(bucket, "parts.bin", uploadId, await uploadParts(bucket, "parts.bin", uploadId, parts));
    const { got, bytes } = await bytesOf("parts.bin", { PartNumber: 2 });
    expect(bytes.equals(Buffer.from(parts[1]!))).toBe(true);
    expect(got.ContentRange).toBe(`bytes ${MIN_PART}-${2 * MIN_PART - 1}/${2 * MIN_PART + 1000}`);
    expect(got.PartsCount).toBe(3);
    expect((await bytesOf("parts.bin", { PartNumber: 3 })).bytes.equals(Buffer.from(parts[2]!))).toBe(true);
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "parts.bin", PartNumber: 4 })))).toEqual({ code: "InvalidPartNumber", status: 416 });
  });

  it("CreateMultipartUpload › content headers, metadata and x-amz-tagging reach the completed object", async () => {
    const uploadId = await createUpload(bucket, "dressed.txt", {
      ContentType: "text/plain",
      ContentDisposition: "inline",
      CacheControl: "no-cache",
      ContentLanguage: "fr",
      Metadata: { colour: "red" },
      Tagging: "stage=final&team=b",
    });
    const done = await complete(bucket, "dressed.txt", uploadId, await uploadParts(bucket, "dressed.txt", uploadId, [Buffer.from("bonjour")]));
    expect(done.ETag).toBe(multipartEtag([Buffer.from("bonjour")]));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dressed.txt" }));
    expect(head).toMatchObject({ ContentType: "text/plain", ContentDisposition: "inline", CacheControl: "no-cache", ContentLanguage: "fr", Metadata: { colour: "red" } });
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "dressed.txt", PartNumber: 1 }))).PartsCount).toBe(1);
    const tags = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "dressed.txt" }));
    expect(tags.TagSet).toEqual([
      { Key: "stage", Value: "final" },
      { Key: "team", Value: "b" },
    ]);
  });

  it("UploadPart › uploading a part number again replaces the part", async () => {
    const uploadId = await createUpload(bucket, "again.txt");
    const [first] = await uploadParts(bucket, "again.txt", uploadId, [Buffer.from("first")]);
    const [second] = await uploadParts(bucket, "again.txt", uploadId, [Buffer.from("second try")]);
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "again.txt", UploadId: uploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, second!.ETag, 10]]);
    expect(await s3Error(complete(bucket, "again.txt", uploadId, [first!]))).toEqual({ code: "InvalidPart", status: 400 });
    await complete(bucket, "again.txt", uploadId, [second!]);
    expect((await bytesOf("again.txt")).bytes.toString()).toBe("second try");
  });

  it.each(["0", "10001", "one", ""])("UploadPart › partNumber=%s is InvalidArgument", async (partNumber) => {
    const uploadId = await createUpload(bucket, "numbers");
    const response = await signer().fetch(partUrl("numbers", uploadId, partNumber), { method: "PUT", body: "x" });
    const error = await expectErrorDocument(response, 400, "InvalidArgument");
    expect(error.ArgumentName).toBe("partNumber");
  });

  it("UploadPart › a Content-MD5 that does not match is BadDigest, and no part is kept", async () => {
    const uploadId = await createUpload(bucket, "md5");
    const response = await signer().fetch(partUrl("md5", uploadId, 1), { method: "PUT", body: "payload", headers: { "content-md5": "1B2M2Y8AsgTpgAmY7PhCfg==" } });
    await expectErrorDocument(response, 400, "BadDigest");
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "md5", UploadId: uploadId }));
    expect(listed.Parts ?? []).toEqual([]);
  });

  it("UploadPart › an aws-chunked body, signed chunk by chunk with a CRC32 trailer, is stored without its framing", async () => {
    const uploadId = await createUpload(bucket, "chunked", { ChecksumAlgorithm: "CRC32" });
    const data = pattern(200_000, 5);
    const request = chunkedPut({
      url: partUrl("chunked", uploadId, 1),
      key: { accessKeyId: "test", secretAccessKey: "test" },
      data,
      mode: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
      trailer: ["x-amz-checksum-crc32", crc32Base64(data)],
    });
    const response = await send(request);
    expect(response.status, await response.clone().text()).toBe(200);
    expect(response.headers.get("x-amz-checksum-crc32")).toBe(crc32Base64(data));
    await complete(bucket, "chunked", uploadId, [{ PartNumber: 1, ETag: response.headers.get("etag")!, ChecksumCRC32: crc32Base64(data) }]);
    expect((await bytesOf("chunked")).bytes.equals(Buffer.from(data))).toBe(true);
  });

  it("UploadPart › a part declared over 5 GiB is EntityTooLarge before its bytes are read", async () => {
    const uploadId = await createUpload(bucket, "huge");
    const tooBig = String(5 * 1024 ** 3 + 1);
    const request = await signer().sign(partUrl("huge", uploadId, 1), { method: "PUT", headers: { "content-length": tooBig, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    const url = new URL(request.url);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: "PUT", headers: Object.fromEntries(request.headers) }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on("error", reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("<Code>EntityTooLarge</Code>");
  });

  it("CompleteMultipartUpload › InvalidPartOrder, InvalidPart, EntityTooSmall and NoSuchUpload", async () => {
    const uploadId = await createUpload(bucket, "checks");
    const [one, two] = await uploadParts(bucket, "checks", uploadId, [pattern(1000, 1), pattern(MIN_PART, 2)]);
    const fail = (parts: (typeof one)[]) => s3Error(complete(bucket, "checks", uploadId, parts as never));
    expect(await fail([two, one])).toEqual({ code: "InvalidPartOrder", status: 400 });
    expect(await fail([one, one])).toEqual({ code: "InvalidPartOrder", status: 400 });
    expect(await fail([one, { PartNumber: 3, ETag: two!.ETag }])).toEqual({ code: "InvalidPart", status: 400 });
    expect(await fail([{ ...one!, ETag: two!.ETag }])).toEqual({ code: "InvalidPart", status: 400 });
    expect(await fail([one, two])).toEqual({ code: "EntityTooSmall", status: 400 });
    expect(await s3Error(complete(bucket, "checks", "no-such-upload", [one!]))).toEqual({ code: "NoSuchUpload", status: 404 });
    // the refusals changed nothing: the upload still completes with a valid list
    expect((await complete(bucket, "checks", uploadId, [two!])).ETag).toBe(multipartEtag([pattern(MIN_PART, 2)]));
    // completed: another part list names no upload (the same list again is a retry, multipart-retries.test.ts)
    expect(await s3Error(complete(bucket, "checks", uploadId, [one!]))).toEqual({ code: "NoSuchUpload", status: 404 });
  });

  it.each([
    ["not XML", "<CompleteMultipartUpload><Part>"],
    ["no parts", "<CompleteMultipartUpload></CompleteMultipartUpload>"],
    ["another root", "<Delete><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></Delete>"],
    ["a part without its ETag", "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>"],
  ])("CompleteMultipartUpload › %s is MalformedXML", async (_what, body) => {
    const uploadId = await createUpload(bucket, "malformed");
    const response = await signer().fetch(`${endpoint()}/${bucket}/malformed?uploadId=${encodeURIComponent(uploadId)}`, { method: "POST", body });
    await expectErrorDocument(response, 400, "MalformedXML");
  });

  it("AbortMultipartUpload › answers 204, then the upload is gone for every operation", async () => {
    const uploadId = await createUpload(bucket, "aborted");
    const [part] = await uploadParts(bucket, "aborted", uploadId, [Buffer.from("bytes")]);
    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    const noSuchUpload = { code: "NoSuchUpload", status: 404 };
    expect(await s3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId })))).toEqual(noSuchUpload);
    expect(await s3Error(uploadParts(bucket, "aborted", uploadId, [Buffer.from("late")]))).toEqual(noSuchUpload);
    expect(await s3Error(complete(bucket, "aborted", uploadId, [part!]))).toEqual(noSuchUpload);
    expect(await s3Error(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "aborted", UploadId: uploadId })))).toEqual(noSuchUpload);
  });

  it("upload ids › another owner gets AccessDenied; an id is unknown in another bucket or for another key", async () => {
    const uploadId = await createUpload(bucket, "owned");
    const other = s3Client(OTHER_KEY);
    const denied = { code: "AccessDenied", status: 403 };
    expect(await s3Error(createUpload(bucket, "owned", {}, other))).toEqual(denied);
    expect(await s3Error(uploadParts(bucket, "owned", uploadId, [Buffer.from("x")], { s3: other }))).toEqual(denied);
    expect(await s3Error(other.send(new ListPartsCommand({ Bucket: bucket, Key: "owned", UploadId: uploadId })))).toEqual(denied);
    expect(await s3Error(other.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "owned", UploadId: uploadId })))).toEqual(denied);
    expect(await s3Error(complete(bucket, "owned", uploadId, [{ PartNumber: 1, ETag: '"x"' }], other))).toEqual(denied);

    const elsewhere = await newBucket("multipart-elsewhere");
    expect(await s3Error(s3.send(new ListPartsCommand({ Bucket: elsewhere, Key: "owned", UploadId: uploadId })))).toEqual({ code: "NoSuchUpload", status: 404 });
    expect(await s3Error(s3.send(new ListPartsCommand({ Bucket: bucket, Key: "not-owned", UploadId: uploadId })))).toEqual({ code: "NoSuchUpload", status: 404 });
    expect(uploadId).toMatch(/^[0-9a-f]{12}[A-Za-z0-9_-]{32}$/);
  });

  it("CompleteMultipartUpload › makes a new version in a versioned bucket, keeping the older one", async () => {
    const versioned = await newBucket("multipart-versions");
    await s3.send(new PutBucketVersioningCommand({ Bucket: versioned, VersioningConfiguration: { Status: "Enabled" } }));
    const first = await s3.send(new PutObjectCommand({ Bucket: versioned, Key: "doc", Body: "version one" }));
    const uploadId = await createUpload(versioned, "doc");
    const done = await complete(versioned, "doc", uploadId, await uploadParts(versioned, "doc", uploadId, [Buffer.from("version two")]));
    expect(done.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(done.VersionId).not.toBe(first.VersionId);
    const latest = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: "doc" }));
    expect(await latest.Body!.transformToString()).toBe("version two");
    const older = await s3.send(new GetObjectCommand({ Bucket: versioned, Key: "doc", VersionId: first.VersionId }));
    expect(await older.Body!.transformToString()).toBe("version one");
  });

  it("CompleteMultipartUpload › If-None-Match: * refuses an existing key with 412 and keeps the upload", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "exists", Body: "here first" }));
    const uploadId = await createUpload(bucket, "exists");
    const parts = await uploadParts(bucket, "exists", uploadId, [Buffer.from("late")]);
    const conditional = new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "exists", UploadId: uploadId, MultipartUpload: { Parts: parts }, IfNoneMatch: "*" });
    expect(await s3Error(s3.send(conditional))).toEqual({ code: "PreconditionFailed", status: 412 });
    expect((await bytesOf("exists")).bytes.toString()).toBe("here first");
    await complete(bucket, "exists", uploadId, parts);
    expect((await bytesOf("exists")).bytes.toString()).toBe("late");
  });
});
