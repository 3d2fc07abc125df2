/**
 * Bucket CORS against the real stack: Put/Get/DeleteBucketCors with the AWS SDK, browser
 * preflights (unsigned OPTIONS), and the CORS headers of actual requests. One extra stack
 * with MOCKS3_AUTH=strict (about 5 s) shows that preflights need no signature.
 */
import { createHash } from "node:crypto";
import {
  DeleteBucketCorsCommand,
  GetBucketCorsCommand,
  PutBucketCorsCommand,
  PutObjectCommand,
  type CORSRule,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY, OTHER_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { rawRequest } from "../helpers/raw-http";
import { endpoint, newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const s3 = s3Client();
const APP = "https://app.example.com";
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";
const CORS_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
  "access-control-max-age",
  "access-control-allow-credentials",
  "vary",
];

/** The rule most tests use: one origin, uploads and downloads, x-amz-* headers. */
const APP_RULE: CORSRule = {
  ID: "app",
  AllowedOrigins: [APP],
  AllowedMethods: ["GET", "PUT"],
  AllowedHeaders: ["x-amz-*", "Content-Type"],
  ExposeHeaders: ["ETag", "x-amz-request-id"],
  MaxAgeSeconds: 3000,
};

async function bucketWithRules(client = s3, ...rules: CORSRule[]): Promise<string> {
  const bucket = await newBucket("cors", client);
  await client.send(new PutBucketCorsCommand({ Bucket: bucket, CORSConfiguration: { CORSRules: rules } }));
  return bucket;
}

/** An unsigned OPTIONS request, as a browser sends it. */
function preflight(url: string, headers: Record<string, string>): Promise<Response> {
  return fetch(url, { method: "OPTIONS", headers });
}

/** A raw PutBucketCors with its Content-MD5 (unless told otherwise). */
function putCorsXml(bucket: string, body: string, headers: Record<string, string> = { "content-md5": md5(body) }): Promise<Response> {
  return signer().fetch(`${endpoint()}/${bucket}?cors`, { method: "PUT", body, headers });
}

function md5(body: string): string {
  return createHash("md5").update(body).digest("base64");
}

function corsHeadersOf(response: Response): Record<string, string> {
  return Object.fromEntries(CORS_HEADERS.flatMap((name) => (response.headers.has(name) ? [[name, response.headers.get(name)!]] : [])));
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

describe("OPTIONS (preflight)", () => {
  let bucket: string;
  beforeAll(async () => {
    bucket = await bucketWithRules(
      s3,
      APP_RULE,
      { AllowedOrigins: ["http://*.example.net"], AllowedMethods: ["DELETE"], AllowedHeaders: ["*"] },
      { AllowedOrigins: ["*"], AllowedMethods: ["GET", "HEAD"] },
    );
  });

  it("OPTIONS › answers a matching preflight with 200 and every CORS header of the rule", async () => {
    const response = await preflight(`${endpoint()}/${bucket}/some/key.txt`, {
      origin: APP,
      "access-control-request-method": "PUT",
      "access-control-request-headers": "X-Amz-Date,content-type, x-amz-meta-owner",
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
    expect(corsHeadersOf(response)).toEqual({
      "access-control-allow-origin": APP,
      "access-control-allow-methods": "GET, PUT",
      "access-control-allow-headers": "x-amz-date, content-type, x-amz-meta-owner",
      "access-control-expose-headers": "ETag, x-amz-request-id",
      "access-control-max-age": "3000",
      "access-control-allow-credentials": "true",
      vary: VARY,
    });
    expect(response.headers.get("x-amz-request-id")).toMatch(/^[0-9A-F]{16}$/);
  });

  it("OPTIONS › a rule's `*` origin answers Access-Control-Allow-Origin: * without credentials", async () => {
    const response = await preflight(`${endpoint()}/${bucket}`, { origin: "https://anyone.test", "access-control-request-method": "HEAD" });
    expect(response.status).toBe(200);
    expect(corsHeadersOf(response)).toEqual({ "access-control-allow-origin": "*", "access-control-allow-methods": "GET, HEAD", vary: VARY });
  });

  it("OPTIONS › the first matching rule answers, not the `*` one after it", async () => {
    const response = await preflight(`${endpoint()}/${bucket}/k`, { origin: APP, "access-control-request-method": "GET" });
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, PUT");
  });

  it("OPTIONS › one wildcard inside an origin matches any run of characters, anchored and case-sensitive", async () => {
    const ask = (origin: string) => preflight(`${endpoint()}/${bucket}/k`, { origin, "access-control-request-method": "DELETE" });
    for (const origin of ["http://a.example.net", "http://deep.sub.example.net", "http://.example.net"]) {
      const response = await ask(origin);
      expect(response.status, origin).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe(origin);
      expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    }
    for (const origin of ["https://a.example.net", "http://a.example.net:8080", "http://a.EXAMPLE.net", "http://a.example.net.evil"]) {
      expect((await ask(origin)).status, origin).toBe(403);
    }
  });

  it("OPTIONS › AllowedHeader wildcards match requested headers without regard to case", async () => {
    const ask = (headers: string) => preflight(`${endpoint()}/${bucket}/k`, { origin: APP, "access-control-request-method": "PUT", "access-control-request-headers": headers });
    const allowed = await ask("X-AMZ-Meta-Color, Content-TYPE");
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-headers")).toBe("x-amz-meta-color, content-type");
    // the DELETE rule allows `*`: any header
    const any = await preflight(`${endpoint()}/${bucket}/k`, { origin: "http://x.example.net", "access-control-request-method": "DELETE", "access-control-request-headers": "authorization, x-custom" });
    expect(any.headers.get("access-control-allow-headers")).toBe("authorization, x-custom");
  });

  it("OPTIONS › no rule for the origin, method or a requested header is 403 AccessForbidden without CORS headers", async () => {
    const url = `${endpoint()}/${bucket}/k`;
    const cases: Array<[Record<string, string>, string]> = [
      [{ origin: "https://evil.example.com", "access-control-request-method": "PUT" }, "PUT"],
      // origins compare case-sensitively, as sent
      [{ origin: APP.toUpperCase(), "access-control-request-method": "PUT" }, "PUT"],
      [{ origin: APP, "access-control-request-method": "DELETE" }, "DELETE"],
      [{ origin: APP, "access-control-request-method": "PUT", "access-control-request-headers": "x-amz-date, authorization" }, "PUT"],
      // the `*` rule allows no requested header
      [{ origin: "https://anyone.test", "access-control-request-method": "GET", "access-control-request-headers": "x-amz-date" }, "GET"],
    ];
    for (const [headers, method] of cases) {
      const response = await preflight(url, headers);
      expect(corsHeadersOf(response)).toEqual({});
      const error = await expectErrorDocument(response, 403, "AccessForbidden", `/${bucket}/k`);
      expect(error).toMatchObject({ Message: NOT_ALLOWED, Method: method, ResourceType: "OBJECT" });
    }
    const onBucket = await expectErrorDocument(await preflight(`${endpoint()}/${bucket}`, cases[0]![0]), 403, "AccessForbidden", `/${bucket}`);
    expect(onBucket.ResourceType).toBe("BUCKET");
  });

  it("OPTIONS › a bucket without a configuration is 403 \"CORS is not enabled for this bucket.\"", async () => {
    const plain = await newBucket("cors");
    const response = await preflight(`${endpoint()}/${plain}/k`, { origin: APP, "access-control-request-method": "GET" });
    const error = await expectErrorDocument(response, 403, "AccessForbidden", `/${plain}/k`);
    expect(error).toMatchObject({ Message: "CORSResponse: CORS is not enabled for this bucket.", Method: "GET", ResourceType: "BUCKET" });
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
  });

  it("OPTIONS › a bucket that does not exist is 403 \"Bucket not found\"", async () => {
    const missing = uniqueBucketName("cors-missing");
    const error = await expectErrorDocument(await preflight(`${endpoint()}/${missing}/k`, { origin: APP }), 403, "AccessForbidden");
    expect(error).toMatchObject({ Message: "CORSResponse: Bucket not found", Method: "OPTIONS" });
  });

  it("OPTIONS › without Origin or Access-Control-Request-Method is 400 BadRequest", async () => {
    const noOrigin = await expectErrorDocument(await preflight(`${endpoint()}/${bucket}/k`, { "access-control-request-method": "GET" }), 400, "BadRequest");
    expect(noOrigin.Message).toBe("Insufficient information. Origin request header needed.");
    const noMethod = await expectErrorDocument(await preflight(`${endpoint()}/${bucket}/k`, { origin: APP }), 400, "BadRequest");
    expect(noMethod.Message).toBe("Invalid Access-Control-Request-Method: null");
    const badMethod = await expectErrorDocument(await preflight(`${endpoint()}/${bucket}/k`, { origin: APP, "access-control-request-method": "PATCH" }), 400, "BadRequest");
    expect(badMethod.Message).toBe("Invalid Access-Control-Request-Method: PATCH");
  });

  it("OPTIONS › answers a virtual-hosted-style URL and ignores a presigned query", async () => {
    const host = `${bucket}.localhost:${new URL(endpoint()).port}`;
    const response = await rawRequest({
      origin: endpoint(),
      method: "OPTIONS",
      path: "/k?X-Amz-Signature=not-a-signature&X-Amz-Algorithm=AWS4-HMAC-SHA256",
      headers: { host, origin: APP, "access-control-request-method": "GET" },
    });
    expect(response.status, response.body).toBe(200);
    expect(response.headers["access-control-allow-origin"]).toBe(APP);
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

describe("MOCKS3_AUTH=strict", () => {
  let stack: StackProcess;
  let bucket: string;
  beforeAll(async () => {
    stack = await startStackProcess({ env: { MOCKS3_AUTH: "strict", MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
    bucket = await bucketWithRules(s3Client(DEFAULT_KEY, stack.endpoint), APP_RULE);
  });
  afterAll(() => stack?.stop());

  it("OPTIONS › a preflight needs no signature under MOCKS3_AUTH=strict", async () => {
    const response = await preflight(`${stack.endpoint}/${bucket}/k`, { origin: APP, "access-control-request-method": "PUT" });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    expect(response.headers.get("access-control-allow-methods")).toBe("GET, PUT");
  });

  it("GetObject › an unsigned request is still AccessDenied under strict, with the CORS headers", async () => {
    const response = await fetch(`${stack.endpoint}/${bucket}/k`, { headers: { origin: APP } });
    expect(response.headers.get("access-control-allow-origin")).toBe(APP);
    await expectErrorDocument(response, 403, "AccessDenied", `/${bucket}/k`);
  });
});
