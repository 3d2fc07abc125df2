/**
 * SigV4 in the Authorization header, against the real stack: signed and unsigned payload
 * hashes, unsigned x-amz-* headers, virtual-hosted-style addressing, and the error document
 * of every refusal (unknown key, wrong secret, clock skew, malformed header, SigV2).
 */
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { AwsClient } from "aws4fetch";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoSuchKey, getBytes, objectUrl } from "../helpers/auth-objects";
import { DEFAULT_KEY } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { rawRequest } from "../helpers/raw-http";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { amzDate, md5Hex, sha256Hex, signHeaders } from "../helpers/sigv4-by-hand";

let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("auth-header");
});

describe("SigV4 in the Authorization header", () => {
  it("SigV4 › stores a body signed with its real SHA-256", async () => {
    const response = await signer().fetch(objectUrl(bucket, "sha256"), { method: "PUT", body: "signed body", headers: { "x-amz-content-sha256": sha256Hex("signed body") } });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${md5Hex("signed body")}"`);
    expect((await getBytes(bucket, "sha256")).bytes.toString()).toBe("signed body");
  });

  it("SigV4 › stores a body sent with UNSIGNED-PAYLOAD", async () => {
    const response = await signer().fetch(objectUrl(bucket, "unsigned-payload"), { method: "PUT", body: "any body", headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    expect(response.status).toBe(200);
    expect((await getBytes(bucket, "unsigned-payload")).bytes.toString()).toBe("any body");
  });

  it("SigV4 › rejects a body that differs from its signed SHA-256 with XAmzContentSHA256Mismatch and stores nothing", async () => {
    const signed = await signer().sign(objectUrl(bucket, "tampered"), { method: "PUT", body: "original", headers: { "x-amz-content-sha256": sha256Hex("original") } });
    const response = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: "tampered" });
    const error = await expectErrorDocument(response, 400, "XAmzContentSHA256Mismatch", `/${bucket}/tampered`);
    expect(error.ClientComputedContentSHA256).toBe(sha256Hex("original"));
    await expectNoSuchKey(bucket, "tampered");
  });

  it("SigV4 › an x-amz-* header left out of the signature is AccessDenied, named in HeadersNotSigned", async () => {
    const signed = await signer().sign(objectUrl(bucket, "injected"), { method: "PUT", body: "x", headers: { "x-amz-content-sha256": sha256Hex("x") } });
    const headers = new Headers(signed.headers);
    headers.set("x-amz-meta-injected", "by someone else");
    headers.set("x-amz-acl", "public-read");
    const error = await expectErrorDocument(await fetch(signed.url, { method: "PUT", headers, body: "x" }), 403, "AccessDenied", `/${bucket}/injected`);
    expect(error.Message).toBe("There were headers present in the request which were not signed");
    expect(error.HeadersNotSigned).toBe("x-amz-acl, x-amz-meta-injected");
    await expectNoSuchKey(bucket, "injected");
  });

  it("SigV4 › signs and addresses a virtual-hosted-style request (bucket.localhost)", async () => {
    const host = `${bucket}.localhost:${new URL(endpoint()).port}`;
    const signed = signHeaders("PUT", `http://${host}/virtual%20hosted/k%2Bey`, { "x-amz-content-sha256": sha256Hex("virtual") }, DEFAULT_KEY);
    const response = await rawRequest({ origin: endpoint(), method: "PUT", path: "/virtual%20hosted/k%2Bey", headers: { ...signed.headers, host }, body: "virtual" });
    expect(response.status, response.body).toBe(200);
    expect((await getBytes(bucket, "virtual hosted/k+ey")).bytes.toString()).toBe("virtual");
    const wrongHost = await rawRequest({ origin: endpoint(), method: "PUT", path: "/virtual%20hosted/k%2Bey", headers: { ...signed.headers, host: `other-${host}` }, body: "virtual" });
    expect(wrongHost.status).toBe(403);
    expect(wrongHost.body).toContain("<Code>SignatureDoesNotMatch</Code>");
  });

  it("SigV4 › verifies a query whose + is a space, as S3 reads it", async () => {
    await signer().fetch(objectUrl(bucket, "plus query/a b"), { method: "PUT", body: "x" });
    const response = await signer().fetch(`${endpoint()}/${bucket}?list-type=2&prefix=plus+query%2Fa+b`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("<Key>plus query/a b</Key>");
  });
});

describe("SigV4 refusals", () => {
  it("SigV4 › rejects an unknown access key with InvalidAccessKeyId", async () => {
    const stranger = new AwsClient({ accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "whatever", service: "s3", region: "us-east-1", retries: 0 });
    const error = await expectErrorDocument(await stranger.fetch(`${endpoint()}/${bucket}?list-type=2`), 403, "InvalidAccessKeyId", `/${bucket}`);
    expect(error.AWSAccessKeyId).toBe("AKIANOBODY0000000000");
    expect(await s3Error(s3Client({ accessKeyId: "AKIANOBODY0000000000", secretAccessKey: "x" }).send(new ListBucketsCommand({})))).toEqual({ code: "InvalidAccessKeyId", status: 403 });
  });

  it("SigV4 › rejects a wrong secret with SignatureDoesNotMatch", async () => {
    const wrong = { accessKeyId: DEFAULT_KEY.accessKeyId, secretAccessKey: "not-the-secret" };
    const error = await expectErrorDocument(await signer(wrong).fetch(`${endpoint()}/${bucket}?list-type=2`), 403, "SignatureDoesNotMatch", `/${bucket}`);
    expect(error.AWSAccessKeyId).toBe(DEFAULT_KEY.accessKeyId);
    expect(error.CanonicalRequest).toContain(`GET\n/${bucket}\nlist-type=2\n`);
    expect(await s3Error(s3Client(wrong).send(new ListBucketsCommand({})))).toEqual({ code: "SignatureDoesNotMatch", status: 403 });
  });

  it.each([-20, 20])("SigV4 › rejects an x-amz-date %i minutes off with RequestTimeTooSkewed", async (minutes) => {
    const datetime = amzDate(new Date(Date.now() + minutes * 60_000));
    const response = await signer().fetch(`${endpoint()}/${bucket}?list-type=2`, { aws: { datetime } });
    const error = await expectErrorDocument(response, 403, "RequestTimeTooSkewed", `/${bucket}`);
    expect(error.RequestTime).toBe(datetime);
  });

  it("SigV4 › accepts an x-amz-date 10 minutes off, within S3's 15", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?list-type=2`, { aws: { datetime: amzDate(new Date(Date.now() - 10 * 60_000)) } });
    expect(response.status).toBe(200);
  });

  it.each([
    ["fields missing", () => "AWS4-HMAC-SHA256 Credential=test"],
    ["an unknown scheme", () => "Bearer abc"],
    ["a credential of another service", () => `AWS4-HMAC-SHA256 Credential=test/${amzDate(new Date()).slice(0, 8)}/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=00`],
    ["a credential dated another day", () => "AWS4-HMAC-SHA256 Credential=test/20200101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"],
  ])("SigV4 › rejects an Authorization header with %s as AuthorizationHeaderMalformed", async (_name, header) => {
    const headers = { authorization: header(), "x-amz-date": amzDate(new Date()), "x-amz-content-sha256": "UNSIGNED-PAYLOAD" };
    await expectErrorDocument(await fetch(`${endpoint()}/${bucket}`, { headers }), 400, "AuthorizationHeaderMalformed", `/${bucket}`);
  });

  it("SigV2 › is refused with InvalidRequest", async () => {
    const headers = { authorization: "AWS test:frJIUN8DYpKDtOLCwo//yllqDzg=", date: new Date().toUTCString() };
    const error = await expectErrorDocument(await fetch(`${endpoint()}/${bucket}`, { headers }), 400, "InvalidRequest", `/${bucket}`);
    expect(error.Message).toMatch(/AWS4-HMAC-SHA256/);
  });

  it("SigV4 › a refused HEAD has no body but still names its request", async () => {
    const response = await signer({ ...DEFAULT_KEY, secretAccessKey: "wrong" }).fetch(`${endpoint()}/${bucket}`, { method: "HEAD" });
    expect(response.status).toBe(403);
    expect(response.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
    expect(await response.text()).toBe("");
  });
});
