/**
 * Presigned URLs, made by aws4fetch and by the SDK's presigner, against the real stack:
 * PUT and GET through them, queries with spaces, expiry, unsigned headers, and tampering;
 * SigV2 URLs as Debian's boto3 writes them.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSuchKey, objectUrl } from "../helpers/auth-objects";
import { boto3Json } from "../helpers/boto3";
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

  it("PutObject › an expired presigned PUT (aws4fetch, the SDK's presigner) is 403 AccessDenied and stores nothing", async () => {
    const signingDate = new Date(Date.now() - 3_600_000);
    const byAws4fetch = await signer().sign(`${objectUrl(bucket, "expired-a4f")}?X-Amz-Expires=60`, { method: "PUT", aws: { signQuery: true, datetime: amzDate(signingDate) } });
    const bySdk = await getSignedUrl(presignClient(), new PutObjectCommand({ Bucket: bucket, Key: "expired-sdk" }), { expiresIn: 60, signingDate });
    for (const [url, key] of [
      [byAws4fetch.url, "expired-a4f"],
      [bySdk, "expired-sdk"],
    ] as const) {
      const error = await expectErrorDocument(await fetch(url, { method: "PUT", body: "too late" }), 403, "AccessDenied", `/${bucket}/${key}`);
      expect(error.Message).toBe("Request has expired");
      await expectNoSuchKey(bucket, key);
    }
  });

  describe("SigV2 (Debian's boto3 presigns with it)", () => {
    /** URLs from the real boto3: `generate_presigned_url` for each [method, key, expires in]. */
    function boto3Urls(requests: Array<[method: "put_object" | "get_object", key: string, expiresIn: number]>): Promise<string[]> {
      // SigV2 ("s3") is what botocore 1.29 (Debian 12) picks by itself; named here for other versions
      const lines = ["print(json.dumps([s3.generate_presigned_url(m, Params={'Bucket': b, 'Key': k}, ExpiresIn=e) for m, b, k, e in args]))"];
      return boto3Json(lines, { signatureVersion: "s3", args: requests.map(([m, k, e]) => [m, bucket, k, e]) });
    }

    it("PutObject › a boto3 SigV2 presigned PUT and GET work; expired, they are 403 AccessDenied; tampered, SignatureDoesNotMatch", { timeout: 30_000 }, async () => {
      const [put, get, shortPut, shortGet] = await boto3Urls([
        ["put_object", "v2 key+", 300],
        ["get_object", "v2 key+", 300],
        ["put_object", "v2-expired", 1],
        ["get_object", "v2 key+", 1],
      ]);
      expect(put).toContain("AWSAccessKeyId=");
      expect(put).not.toContain("X-Amz-");
      // fetch would add a Content-Type to a string body; SigV2 signs it, so send bytes
      expect((await fetch(put!, { method: "PUT", body: new TextEncoder().encode("signed with SigV2") })).status).toBe(200);
      const response = await fetch(get!);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("signed with SigV2");

      const tampered = new URL(put!);
      tampered.pathname = tampered.pathname.replace("v2%20key", "v2%20other");
      await expectErrorDocument(await fetch(tampered, { method: "PUT", body: new TextEncoder().encode("x") }), 403, "SignatureDoesNotMatch");
      await expectErrorDocument(await fetch(put!, { method: "PUT", body: "x", headers: { "content-type": "text/html" } }), 403, "SignatureDoesNotMatch");

      await new Promise((resolve) => setTimeout(resolve, 2100));
      const expired = await expectErrorDocument(await fetch(shortPut!, { method: "PUT", body: new TextEncoder().encode("too late") }), 403, "AccessDenied", `/${bucket}/v2-expired`);
      expect(expired.Message).toBe("Request has expired");
      expect((await expectErrorDocument(await fetch(shortGet!), 403, "AccessDenied")).Message).toBe("Request has expired");
      await expectNoSuchKey(bucket, "v2-expired");
    });
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
