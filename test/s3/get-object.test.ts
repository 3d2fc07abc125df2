/**
 * GetObject and HeadObject against the real stack: ranges, conditional reads, response-*
 * overrides and missing keys; and the answer to an operation MockS3 does not serve.
 */
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { bodyBytes, objectPathUrl, pattern, withEveryHeader } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";
import { md5Hex } from "../helpers/sigv4-by-hand";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("get-object");
});

describe("GetObject", () => {
  const body = pattern(2 * 1024 * 1024 + 100, 11);
  const lastModified: { value?: Date } = {};

  beforeAll(async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "ranged.bin", Body: body }));
    lastModified.value = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "ranged.bin" }))).LastModified;
    // stored headers for the response-* parameters to override
    await s3.send(new PutObjectCommand(withEveryHeader(bucket, "headers.txt")));
  });

  it("GetObject › a missing key is NoSuchKey with an S3 error document", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "nope"));
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(text).toMatch(/<Error><Code>NoSuchKey<\/Code><Message>[^<]+<\/Message>.*<Resource>[^<]+<\/Resource><RequestId>[0-9A-F]{16}<\/RequestId><\/Error>/);
    expect(response.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
    expect(text).not.toMatch(/at \w+ \(|\.ts:\d+/);
  });

  it.each([
    ["bytes=0-99", 0, 100],
    ["bytes=100-", 100, 2 * 1024 * 1024 + 100],
    ["bytes=-500", 2 * 1024 * 1024 - 400, 2 * 1024 * 1024 + 100],
    ["bytes=1048570-1048590", 1048570, 1048591],
    ["bytes=5-999999999", 5, 2 * 1024 * 1024 + 100],
  ])("GetObject › Range %s answers 206 with the right bytes and Content-Range", async (range, start, end) => {
    const { out, bytes } = await bodyBytes(bucket, "ranged.bin", { Range: range });
    expect(out.$metadata.httpStatusCode).toBe(206);
    expect(out.ContentRange).toBe(`bytes ${start}-${end - 1}/${body.byteLength}`);
    expect(out.ContentLength).toBe(end - start);
    expect(md5Hex(bytes)).toBe(md5Hex(body.subarray(start, end)));
  });

  it("GetObject › a range past the end is 416 InvalidRange", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { headers: { range: `bytes=${body.byteLength}-` } });
    expect(response.status).toBe(416);
    expect(response.headers.get("content-range")).toBe(`bytes */${body.byteLength}`);
    expect(await response.text()).toContain("<Code>InvalidRange</Code>");
  });

  it("GetObject › an unparsable Range is ignored and the whole object served", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { headers: { range: "bytes=abc" } });
    expect(response.status).toBe(200);
    expect((await response.arrayBuffer()).byteLength).toBe(body.byteLength);
  });

  it("GetObject › If-None-Match with the current ETag is 304, If-Match with another is 412", async () => {
    const etag = `"${md5Hex(body)}"`;
    const notModified = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { headers: { "if-none-match": etag } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    const failed = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { headers: { "if-match": '"0123"' } });
    expect(failed.status).toBe(412);
    expect(await failed.text()).toContain("<Code>PreconditionFailed</Code>");
    const ok = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-match": etag } });
    expect(ok.status).toBe(200);
  });

  it("GetObject › If-Modified-Since and If-Unmodified-Since follow Last-Modified", async () => {
    const modified = lastModified.value!;
    const later = new Date(modified.getTime() + 60_000).toUTCString();
    const earlier = new Date(modified.getTime() - 60_000).toUTCString();
    expect((await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-modified-since": later } })).status).toBe(304);
    expect((await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-modified-since": earlier } })).status).toBe(200);
    expect((await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-unmodified-since": earlier } })).status).toBe(412);
    expect((await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-unmodified-since": later } })).status).toBe(200);
  });

  it("GetObject › If-Match wins over a failing If-Unmodified-Since, as in S3", async () => {
    const earlier = new Date(lastModified.value!.getTime() - 60_000).toUTCString();
    const response = await signer().fetch(objectPathUrl(bucket, "ranged.bin"), { method: "HEAD", headers: { "if-match": `"${md5Hex(body)}"`, "if-unmodified-since": earlier } });
    expect(response.status).toBe(200);
  });

  it("GetObject › response-* parameters override the stored headers", async () => {
    const { out } = await bodyBytes(bucket, "headers.txt", {
      ResponseContentType: "application/json",
      ResponseContentDisposition: "inline",
      ResponseCacheControl: "no-cache",
      ResponseContentLanguage: "fr",
      ResponseContentEncoding: "gzip",
      ResponseExpires: new Date("2031-02-03T04:05:06Z"),
    });
    expect(out.ContentType).toBe("application/json");
    expect(out.ContentDisposition).toBe("inline");
    expect(out.CacheControl).toBe("no-cache");
    expect(out.ContentLanguage).toBe("fr");
    expect(out.ContentEncoding).toBe("gzip");
  });
});

describe("HeadObject", () => {
  it("HeadObject › answers the headers with an empty body, and 404 without one", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "head-me", Body: "twelve bytes" }));
    const head = await signer().fetch(objectPathUrl(bucket, "head-me"), { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe("12");
    expect(head.headers.get("accept-ranges")).toBe("bytes");
    expect(head.headers.get("last-modified")).toMatch(/GMT$/);
    expect(await head.text()).toBe("");
    const missing = await signer().fetch(objectPathUrl(bucket, "head-missing"), { method: "HEAD" });
    expect(missing.status).toBe(404);
    expect(await missing.text()).toBe("");
    expect(missing.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
  });
});

describe("unknown operations", () => {
  it("NotImplemented › an operation MockS3 does not serve answers 501 NotImplemented", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?inventory`, { method: "GET" });
    expect(response.status).toBe(501);
    expect(await response.text()).toContain("<Code>NotImplemented</Code>");
  });
});
