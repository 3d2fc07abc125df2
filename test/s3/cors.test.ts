/**
 * Bucket CORS against the real stack: Put/Get/DeleteBucketCors with the AWS SDK and raw XML,
 * and the CORS headers of actual (non-preflight) requests. Preflights: cors-preflight.test.ts.
 */
import { createHash } from "node:crypto";
import { DeleteBucketCorsCommand, GetBucketCorsCommand, PutBucketCorsCommand, PutObjectCommand, type CORSRule } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { APP, APP_RULE, bucketWithRules, corsHeadersOf, VARY } from "../helpers/cors";
import { OTHER_KEY } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { endpoint, newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();

/** A raw PutBucketCors with its Content-MD5 (unless told otherwise). */
function putCorsXml(bucket: string, body: string, headers: Record<string, string> = { "content-md5": md5(body) }): Promise<Response> {
  return signer().fetch(`${endpoint()}/${bucket}?cors`, { method: "PUT", body, headers });
}

function md5(body: string): string {
  return createHash("md5").update(body).digest("base64");
}

function configuration(...rules: string[]): string {
  return `<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${rules.map((r) => `<CORSRule>${r}</CORSRule>`).join("")}</CORSConfiguration>`;
}

describe("PutBucketCors, GetBucketCors, DeleteBucketCors", () => {
  it("PutBucketCors › round-trips rules through GetBucketCors, in order; DeleteBucketCors removes them", async () => {
    const second: CORSRule = { AllowedOrigins: ["*", "http://*.example.org"], AllowedMethods: ["HEAD", "POST", "DELETE"] };
    const bucket = await bucketWithRules(s3, APP_RULE, second);
    const got = await s3.send(new GetBucketCorsCommand({ Bucket: bucket }));
    expect(got.CORSRules).toEqual([APP_RULE, second]);

    const deleted = await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchCORSConfiguration", status: 404 });
  });

  it("PutBucketCors › replaces the previous configuration", async () => {
    const bucket = await bucketWithRules(s3, APP_RULE);
    const replacement: CORSRule = { AllowedOrigins: ["https://other.example.com"], AllowedMethods: ["GET"] };
    await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [replacement] } }));
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual([replacement]);
  });

  it("GetBucketCors › answers NoSuchCORSConfiguration naming the bucket when none is set", async () => {
    const bucket = await newBucket("cors");
    const error = await expectErrorDocument(await signer().fetch(`${endpoint()}/${bucket}?cors`), 404, "NoSuchCORSConfiguration", `/${bucket}`);
    expect(error.Message).toBe("The CORS configuration does not exist");
    expect(error.BucketName).toBe(bucket);
  });

  it("DeleteBucketCors › answers 204 also without a configuration", async () => {
    const bucket = await newBucket("cors");
    expect((await s3.send(new DeleteBucketCorsCommand({ Bucket: bucket }))).$metadata.httpStatusCode).toBe(204);
  });

  it("PutBucketCors › accepts raw XML with Content-MD5 and answers 200 with an empty body", async () => {
    const bucket = await newBucket("cors");
    const response = await putCorsXml(bucket, configuration(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual([{ AllowedOrigins: [APP], AllowedMethods: ["GET"] }]);
  });

  it("PutBucketCors › requires Content-MD5 or a checksum header, and verifies Content-MD5", async () => {
    const bucket = await newBucket("cors");
    const body = configuration(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`);
    const missing = await expectErrorDocument(await putCorsXml(bucket, body, {}), 400, "InvalidRequest", `/${bucket}`);
    expect(missing.Message).toBe("Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
    await expectErrorDocument(await putCorsXml(bucket, body, { "content-md5": md5("something else") }), 400, "BadDigest", `/${bucket}`);
    expect(await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchCORSConfiguration", status: 404 });
  });

  it.each<[scenario: string, body: string]>([
    ["a body that is not XML", "<CORSConfiguration><CORSRule>"],
    ["no CORSRule", configuration()],
    ["an empty CORSRule", configuration("")],
    ["a rule without AllowedOrigin", configuration("<AllowedMethod>GET</AllowedMethod>")],
    ["a rule without AllowedMethod", configuration(`<AllowedOrigin>${APP}</AllowedOrigin>`)],
    ["an element S3 does not know", configuration(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedOrign>x</AllowedOrign>`)],
    ["two MaxAgeSeconds", configuration(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>1</MaxAgeSeconds><MaxAgeSeconds>2</MaxAgeSeconds>`)],
    ["a MaxAgeSeconds that is not an integer", configuration(`<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>soon</MaxAgeSeconds>`)],
    ["101 rules", configuration(...Array.from({ length: 101 }, () => `<AllowedOrigin>${APP}</AllowedOrigin><AllowedMethod>GET</AllowedMethod>`))],
  ])("PutBucketCors › refuses %s with MalformedXML", async (_scenario, body) => {
    const bucket = await newBucket("cors");
    await expectErrorDocument(await putCorsXml(bucket, body), 400, "MalformedXML", `/${bucket}`);
  });

  it.each<[scenario: string, rule: CORSRule, message: string]>([
    ["a method S3 does not allow", { AllowedOrigins: [APP], AllowedMethods: ["GET", "PATCH"] }, "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"],
    ["a lowercase method", { AllowedOrigins: [APP], AllowedMethods: ["get"] }, "Found unsupported HTTP method in CORS config. Unsupported method is get"],
    ["an origin with two wildcards", { AllowedOrigins: ["https://*.example.*"], AllowedMethods: ["GET"] }, 'AllowedOrigin "https://*.example.*" can not have more than one wildcard.'],
    ["a header with two wildcards", { AllowedOrigins: [APP], AllowedMethods: ["GET"], AllowedHeaders: ["x-*-*"] }, 'AllowedHeader "x-*-*" can not have more than one wildcard.'],
    [
      "a wildcard ExposeHeader",
      { AllowedOrigins: [APP], AllowedMethods: ["GET"], ExposeHeaders: ["x-amz-*"] },
      'ExposeHeader "x-amz-*" contains wildcard. We currently do not support wildcard for ExposeHeader.',
    ],
  ])("PutBucketCors › refuses %s with InvalidRequest and S3's message", async (_scenario, rule, message) => {
    const bucket = await newBucket("cors");
    const error = await s3.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [APP_RULE, rule] } })).catch((e: Error) => e);
    expect(error).toMatchObject({ name: "InvalidRequest", message, $metadata: { httpStatusCode: 400 } });
    expect(await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: bucket })))).toEqual({ code: "NoSuchCORSConfiguration", status: 404 });
  });

  it("PutBucketCors › only the bucket's owner may set, read or delete its rules", async () => {
    const bucket = await bucketWithRules(s3, APP_RULE);
    const other = s3Client(OTHER_KEY);
    const denied = { code: "AccessDenied", status: 403 };
    expect(await s3Error(other.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: [APP_RULE] } })))).toEqual(denied);
    expect(await s3Error(other.send(new GetBucketCorsCommand({ Bucket: bucket })))).toEqual(denied);
    expect(await s3Error(other.send(new DeleteBucketCorsCommand({ Bucket: bucket })))).toEqual(denied);
    expect((await s3.send(new GetBucketCorsCommand({ Bucket: bucket }))).CORSRules).toEqual([APP_RULE]);
    const missing = uniqueBucketName("cors-missing");
    expect(await s3Error(s3.send(new GetBucketCorsCommand({ Bucket: missing })))).toEqual({ code: "NoSuchBucket", status: 404 });
  });
});
describe("actual requests with Origin", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await bucketWithRules(s3, APP_RULE, { AllowedOrigins: ["*"], AllowedMethods: ["HEAD"] });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "cross-origin" }));
  });

  it("GetObject › a matching Origin gets Access-Control-Allow-Origin, Expose-Headers and the rule's headers", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/k`, { headers: { origin: APP } });
    expect(await response.text()).toBe("cross-origin");
    expect(corsHeadersOf(response)).toEqual({
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "GET, PUT",
      "access-control-expose-headers": "ETag, x-amz-request-id",
      "access-control-max-age": "3000",
      "access-control-allow-credentials": "true",
      vary: VARY,
    });
  });

  it("PutObject › a matching Origin gets the CORS headers, and the object is stored", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/uploaded`, { method: "PUT", body: "from a browser", headers: { origin: APP } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-expose-headers")).toBe("ETag, x-amz-request-id");
    expect(await (await signer().fetch(`${endpoint()}/${bucket}/uploaded`)).text()).toBe("from a browser");
  });

  it("HeadObject › a `*` rule answers Access-Control-Allow-Origin: * without credentials", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/k`, { method: "HEAD", headers: { origin: "https://anyone.test" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.has("access-control-allow-credentials")).toBe(false);
  });

  it("GetObject › an error answer to a matching Origin carries the CORS headers too", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/missing`, { headers: { origin: APP } });
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    await expectErrorDocument(response, 404, "NoSuchKey", `/${bucket}/missing`);
  });

  it("GetObject › without Origin carries no CORS header", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/k`);
    expect(await response.text()).toBe("cross-origin");
    expect(corsHeadersOf(response)).toEqual({});
  });

  it("DeleteObject › an Origin no rule allows is served without CORS headers, not refused", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "doomed", Body: "x" }));
    const deleted = await signer().fetch(`${endpoint()}/${bucket}/doomed`, { method: "DELETE", headers: { origin: APP } });
    expect(deleted.status).toBe(204);
    expect(corsHeadersOf(deleted)).toEqual({});
    const foreign = await signer().fetch(`${endpoint()}/${bucket}/k`, { headers: { origin: "https://evil.example.com" } });
    expect(foreign.status).toBe(200);
    expect(corsHeadersOf(foreign)).toEqual({});
    await foreign.arrayBuffer();
  });

  it("GetObject › Access-Control-Request-Method, when sent, decides the rule, as in S3", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/k`, { headers: { origin: "https://anyone.test", "access-control-request-method": "HEAD" } });
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    await response.arrayBuffer();
  });
});
