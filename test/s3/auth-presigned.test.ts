/**
 * Presigned URLs, made by aws4fetch and by the SDK's presigner, against the real stack:
 * PUT and GET through them, queries with spaces, expiry, unsigned headers, and tampering.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSuchKey, objectUrl } from "../helpers/auth-objects";
import { DEFAULT_KEY } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";
import { amzDate } from "../helpers/sigv4-by-hand";

let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("auth-presigned");
});

describe("Presigned URLs", () => {
  /** The presigner hoists a CRC32 of the (absent) body into PUT URLs unless told not to. */
  const presignClient = () => new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, requestChecksumCalculation: "WHEN_REQUIRED" });
  /** What the GET, expiry and tampering tests read. */
  const TARGET = "presigned-target";
  beforeAll(async () => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: TARGET, Body: "target body" }));
  });

  it("aws4fetch › a presigned PUT and GET work", async () => {
    const put = await signer().sign(objectUrl(bucket, "presigned-a4f"), { method: "PUT", aws: { signQuery: true } });
    expect((await fetch(put.url, { method: "PUT", body: "presigned by aws4fetch" })).status).toBe(200);
    const get = await signer().sign(objectUrl(bucket, "presigned-a4f"), { aws: { signQuery: true } });
    const response = await fetch(get.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("presigned by aws4fetch");
  });

  it("s3-request-presigner › a presigned PUT and GET work", async () => {
    const putUrl = await getSignedUrl(presignClient(), new PutObjectCommand({ Bucket: bucket, Key: "presigned-sdk" }), { expiresIn: 300 });
    expect(putUrl).toContain("X-Amz-Signature=");
    expect((await fetch(putUrl, { method: "PUT", body: "presigned by the SDK" })).status).toBe(200);
    const getUrl = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: "presigned-sdk" }), { expiresIn: 300 });
    const response = await fetch(getUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("presigned by the SDK");
  });

  it("aws4fetch › a presigned query with spaces (sent as +, signed as %20) verifies", async () => {
    await signer().fetch(objectUrl(bucket, "report 1.txt"), { method: "PUT", body: "report" });
    const url = new URL(objectUrl(bucket, "report 1.txt"));
    url.searchParams.set("response-content-disposition", 'attachment; filename="report 1.txt"');
    const signed = await signer().sign(url, { aws: { signQuery: true } });
    expect(signed.url).toContain("filename%3D%22report+1.txt");
    const response = await fetch(signed.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="report 1.txt"');
  });

  it("aws4fetch › an expired URL is AccessDenied: Request has expired", async () => {
    const signed = await signer().sign(`${objectUrl(bucket, TARGET)}?X-Amz-Expires=60`, { aws: { signQuery: true, datetime: amzDate(new Date(Date.now() - 3_600_000)) } });
    const error = await expectErrorDocument(await fetch(signed.url), 403, "AccessDenied", `/${bucket}/${TARGET}`);
    expect(error.Message).toBe("Request has expired");
  });

  it("s3-request-presigner › an expired URL is AccessDenied: Request has expired", async () => {
    const url = await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: TARGET }), { expiresIn: 60, signingDate: new Date(Date.now() - 3_600_000) });
    const error = await expectErrorDocument(await fetch(url), 403, "AccessDenied");
    expect(error.Message).toBe("Request has expired");
  });

  it("aws4fetch › a presigned PUT sent with an unsigned x-amz-acl is AccessDenied", async () => {
    const put = await signer().sign(objectUrl(bucket, "presigned-acl"), { method: "PUT", aws: { signQuery: true } });
    const response = await fetch(put.url, { method: "PUT", body: "x", headers: { "x-amz-acl": "public-read" } });
    const error = await expectErrorDocument(response, 403, "AccessDenied", `/${bucket}/presigned-acl`);
    expect(error.HeadersNotSigned).toBe("x-amz-acl");
    await expectNoSuchKey(bucket, "presigned-acl");
  });

  it("aws4fetch › a presigned GET may carry an unsigned x-amz-content-sha256", async () => {
    const get = await signer().sign(objectUrl(bucket, TARGET), { aws: { signQuery: true } });
    const response = await fetch(get.url, { headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("target body");
  });

  it("aws4fetch › a presigned GET whose key was changed is SignatureDoesNotMatch", async () => {
    const signed = await signer().sign(objectUrl(bucket, TARGET), { aws: { signQuery: true } });
    const url = new URL(signed.url);
    url.pathname = url.pathname.replace(TARGET, "sha256");
    await expectErrorDocument(await fetch(url), 403, "SignatureDoesNotMatch", `/${bucket}/sha256`);
  });

  it.each([
    ["a longer X-Amz-Expires", (url: URL) => url.searchParams.set("X-Amz-Expires", "604800")],
    ["an added response-content-type", (url: URL) => url.searchParams.set("response-content-type", "text/html")],
    ["another key", (url: URL) => void (url.pathname = url.pathname.replace(TARGET, "sha256"))],
  ])("s3-request-presigner › a GET URL with %s is SignatureDoesNotMatch", async (_name, tamper) => {
    const url = new URL(await getSignedUrl(presignClient(), new GetObjectCommand({ Bucket: bucket, Key: TARGET }), { expiresIn: 300 }));
    tamper(url);
    await expectErrorDocument(await fetch(url), 403, "SignatureDoesNotMatch");
  });
});
