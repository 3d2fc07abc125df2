/**
 * PutObject against the real stack: bytes and ETags from empty to multi-chunk, metadata and
 * content headers, Content-MD5 and x-amz-checksum-* verification, conditional writes, and
 * the refusals that store nothing.
 */
import { createHash } from "node:crypto";
import http from "node:http";
import { gzipSync } from "node:zlib";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { beforeAll, describe, expect, it } from "vitest";
import { bodyBytes, objectPathUrl, pattern, withEveryHeader } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { md5Hex } from "../helpers/sigv4-by-hand";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("put-object");
});

function md5Base64(bytes: Uint8Array | string): string {
  return createHash("md5").update(bytes).digest("base64");
}

describe("PutObject", () => {
  it("PutObject › stores the bytes, and the ETag is their quoted MD5", async () => {
    const body = pattern(10_000);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plain.bin", Body: body }));
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    const { out, bytes } = await bodyBytes(bucket, "plain.bin");
    expect(Buffer.from(bytes).equals(Buffer.from(body))).toBe(true);
    expect(out.ContentLength).toBe(10_000);
    expect(out.ETag).toBe(put.ETag);
  });

  it("PutObject › keeps user metadata and the standard content headers", async () => {
    await s3.send(new PutObjectCommand(withEveryHeader(bucket, "headers.txt")));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "headers.txt" }));
    expect(head.ContentType).toBe("text/plain; charset=utf-8");
    expect(head.ContentEncoding).toBe("identity");
    expect(head.ContentDisposition).toBe('attachment; filename="h.txt"');
    expect(head.ContentLanguage).toBe("en-GB");
    expect(head.CacheControl).toBe("max-age=60");
    expect(head.Expires?.toISOString()).toBe("2030-01-01T00:00:00.000Z");
    expect(head.Metadata).toEqual({ color: "blue", "multi-word": "two words" });
    expect(head.ContentLength).toBe(5);
  });

  it("PutObject › defaults the content type to binary/octet-stream", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "untyped"), { method: "PUT", body: new Uint8Array([120]) });
    expect(response.status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "untyped" }));
    expect(head.ContentType).toBe("binary/octet-stream");
  });

  it("PutObject › keeps a gzip-encoded body byte for byte, and serves it as stored", async () => {
    const gzipped = gzipSync(Buffer.from("compress me ".repeat(100)));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "page.html.gz", Body: gzipped, ContentEncoding: "gzip", ContentType: "text/html" }));
    const response = await fetch(objectPathUrl(bucket, "page.html.gz"), { headers: { "accept-encoding": "identity" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    const raw = await new Promise<Buffer>((resolve, reject) => {
      http
        .get(objectPathUrl(bucket, "page.html.gz"), (res) => {
          const parts: Buffer[] = [];
          res.on("data", (d: Buffer) => parts.push(d));
          res.on("end", () => resolve(Buffer.concat(parts)));
        })
        .on("error", reject);
    });
    expect(raw.equals(gzipped)).toBe(true);
  });

  it("PutObject › a presigned URL's hoisted x-amz-meta-* become metadata, its empty-body checksum is ignored", async () => {
    const url = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: "presigned-meta", Metadata: { origin: "presigned" } }), { expiresIn: 300 });
    expect(new URL(url).searchParams.get("x-amz-meta-origin")).toBe("presigned");
    const response = await fetch(url, { method: "PUT", body: new TextEncoder().encode("uploaded through a presigned URL") });
    expect(response.status).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "presigned-meta" }));
    expect(head.Metadata).toEqual({ origin: "presigned" });
    expect(head.ContentLength).toBe(32);
  });

  it("PutObject › stores an empty object", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "empty", Body: new Uint8Array(0) }));
    const { out, bytes } = await bodyBytes(bucket, "empty");
    expect(bytes.byteLength).toBe(0);
    expect(out.ETag).toBe(`"${md5Hex("")}"`);
  });

  it("PutObject › overwrites, and the old bytes are gone", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "over", Body: "first version" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "over", Body: "second" }));
    const { bytes } = await bodyBytes(bucket, "over");
    expect(Buffer.from(bytes).toString()).toBe("second");
  });

  it("PutObject › a small object (inline) and a mid-size one (one storage blob) both round-trip", async () => {
    for (const [key, size] of [
      ["inline.bin", 4096],
      ["mid.bin", 300 * 1024],
    ] as const) {
      const body = pattern(size, size);
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      expect(put.ETag).toBe(`"${md5Hex(body)}"`);
      expect(md5Hex((await bodyBytes(bucket, key)).bytes)).toBe(md5Hex(body));
      const { bytes } = await bodyBytes(bucket, key, { Range: "bytes=1000-2999" });
      expect(md5Hex(bytes)).toBe(md5Hex(body.subarray(1000, 3000)));
    }
  });

  it("PutObject › streams a multi-chunk object (5 MiB + 3 bytes) byte for byte", async () => {
    const body = pattern(5 * 1024 * 1024 + 3, 7);
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big/five.bin", Body: body }));
    expect(put.ETag).toBe(`"${md5Hex(body)}"`);
    const { bytes } = await bodyBytes(bucket, "big/five.bin");
    expect(bytes.byteLength).toBe(body.byteLength);
    expect(md5Hex(bytes)).toBe(md5Hex(body));
  });

  it("PutObject › concurrent plain multi-chunk bodies (chunk buffers used again) each read back byte for byte", async () => {
    // Signed plain bodies (no aws-chunked framing) are read a chunk at a time into buffers
    // the gateway keeps and reuses once a chunk is written: six at once share them.
    const bodies = Array.from({ length: 6 }, (_, i) => pattern(3 * 1024 * 1024 + 1000 * i + 1, 11 + i));
    const answers = await Promise.all(bodies.map((body, i) => signer().fetch(objectPathUrl(bucket, `pool/${i}`), { method: "PUT", body })));
    for (const [i, body] of bodies.entries()) {
      expect(answers[i]?.status).toBe(200);
      expect(answers[i]?.headers.get("etag")).toBe(`"${md5Hex(body)}"`);
      expect(md5Hex((await bodyBytes(bucket, `pool/${i}`)).bytes)).toBe(md5Hex(body));
    }
  });

  it("PutObject › accepts a correct Content-MD5", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "md5-ok"), { method: "PUT", body: "digest me", headers: { "content-md5": md5Base64("digest me") } });
    expect(response.status).toBe(200);
  });

  it("PutObject › rejects a wrong Content-MD5 with BadDigest and stores nothing", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "md5-bad"), { method: "PUT", body: "digest me", headers: { "content-md5": md5Base64("something else") } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>BadDigest</Code>");
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "md5-bad" })))).status).toBe(404);
  });

  it("PutObject › rejects a malformed Content-MD5 with InvalidDigest", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "md5-invalid"), { method: "PUT", body: "x", headers: { "content-md5": "not-base64!" } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidDigest</Code>");
  });

  it("PutObject › a wrong Content-MD5 on an overwrite leaves the old object intact", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "keep", Body: "original" }));
    const response = await signer().fetch(objectPathUrl(bucket, "keep"), { method: "PUT", body: "replacement", headers: { "content-md5": md5Base64("nope") } });
    expect(response.status).toBe(400);
    const { bytes } = await bodyBytes(bucket, "keep");
    expect(Buffer.from(bytes).toString()).toBe("original");
  });

  it.each([
    ["CRC32", "ChecksumCRC32"],
    ["CRC32C", "ChecksumCRC32C"],
    ["CRC64NVME", "ChecksumCRC64NVME"],
    ["SHA1", "ChecksumSHA1"],
    ["SHA256", "ChecksumSHA256"],
  ] as const)("PutObject › verifies an x-amz-checksum-%s and returns it with x-amz-checksum-mode", async (algorithm, field) => {
    const key = `checksum-${algorithm}`;
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: pattern(3000, 3), ChecksumAlgorithm: algorithm }));
    expect(put[field]).toBeTruthy();
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    expect(head[field]).toBe(put[field]);
    const plain = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(plain[field]).toBeUndefined();
  });

  it("PutObject › rejects a wrong x-amz-checksum-sha256 with BadDigest", async () => {
    const wrong = createHash("sha256").update("other").digest("base64");
    const response = await signer().fetch(objectPathUrl(bucket, "checksum-bad"), { method: "PUT", body: "payload", headers: { "x-amz-checksum-sha256": wrong } });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("<Code>BadDigest</Code>");
    expect(text).toContain("SHA256");
  });

  it("PutObject › rejects a wrong x-amz-checksum-crc64nvme with BadDigest", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "checksum-bad-64"), { method: "PUT", body: "hello", headers: { "x-amz-checksum-crc64nvme": "AAAAAAAAAAA=" } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>BadDigest</Code>");
  });

  it("PutObject › rejects two checksum headers with InvalidRequest", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "checksum-two"), {
      method: "PUT",
      body: "payload",
      headers: { "x-amz-checksum-sha256": createHash("sha256").update("payload").digest("base64"), "x-amz-checksum-crc32": "AAAAAA==" },
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidRequest</Code>");
  });

  it("PutObject › If-None-Match: * creates once, then fails with PreconditionFailed", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "create-once", Body: "1", IfNoneMatch: "*" }));
    const failure = await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "create-once", Body: "2", IfNoneMatch: "*" })));
    expect(failure).toEqual({ code: "PreconditionFailed", status: 412 });
    expect(Buffer.from((await bodyBytes(bucket, "create-once")).bytes).toString()).toBe("1");
  });

  it("PutObject › 16 concurrent If-None-Match: * writes of one key (applied together): exactly one wins, and its bytes are stored", async () => {
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => signer().fetch(objectPathUrl(bucket, "race-once"), { method: "PUT", body: `writer ${i}`, headers: { "if-none-match": "*" } })),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 412)).toHaveLength(15);
    const winner = statuses.indexOf(200);
    expect(Buffer.from((await bodyBytes(bucket, "race-once")).bytes).toString()).toBe(`writer ${winner}`);
  });

  it("PutObject › If-Match replaces only the expected version", async () => {
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v1" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v2", IfMatch: first.ETag }));
    const stale = await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas", Body: "v3", IfMatch: first.ETag })));
    expect(stale).toEqual({ code: "PreconditionFailed", status: 412 });
    const missing = await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cas-missing", Body: "x", IfMatch: first.ETag })));
    expect(missing.status).toBe(404);
    expect(Buffer.from((await bodyBytes(bucket, "cas")).bytes).toString()).toBe("v2");
  });

  it("PutObject › user metadata over 2 KB is MetadataTooLarge", async () => {
    const failure = await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "meta-big", Body: "x", Metadata: { big: "v".repeat(2100) } })));
    expect(failure).toEqual({ code: "MetadataTooLarge", status: 400 });
  });

  it("PutObject › into a missing bucket is NoSuchBucket", async () => {
    const failure = await s3Error(s3.send(new PutObjectCommand({ Bucket: "no-such-bucket-here-42", Key: "k", Body: "x" })));
    expect(failure).toEqual({ code: "NoSuchBucket", status: 404 });
  });

  it("PutObject › a key over 1024 bytes is KeyTooLongError", async () => {
    const failure = await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k".repeat(1025), Body: "x" })));
    expect(failure).toEqual({ code: "KeyTooLongError", status: 400 });
  });
});
