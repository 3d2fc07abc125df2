/**
 * Browser preflights (unsigned OPTIONS) against the real stack, and one extra stack with
 * MOCKS3_AUTH=strict (about 5 s) showing that a preflight needs no signature.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP, APP_RULE, bucketWithRules, corsHeadersOf, preflight, VARY } from "../helpers/cors";
import { DEFAULT_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { expectErrorDocument } from "../helpers/error-document";
import { rawRequest } from "../helpers/raw-http";
import { endpoint, newBucket, s3Client, uniqueBucketName } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const s3 = s3Client();
const NOT_ALLOWED =
  "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.";

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
    const any = await preflight(`${endpoint()}/${bucket}/k`, {
      origin: "http://x.example.net",
      "access-control-request-method": "DELETE",
      "access-control-request-headers": "authorization, x-custom",
    });
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

  it('OPTIONS › a bucket without a configuration is 403 "CORS is not enabled for this bucket."', async () => {
    const plain = await newBucket("cors");
    const response = await preflight(`${endpoint()}/${plain}/k`, { origin: APP, "access-control-request-method": "GET" });
    const error = await expectErrorDocument(response, 403, "AccessForbidden", `/${plain}/k`);
    expect(error).toMatchObject({ Message: "CORSResponse: CORS is not enabled for this bucket.", Method: "GET", ResourceType: "BUCKET" });
    expect(response.headers.has("access-control-allow-origin")).toBe(false);
  });

  it('OPTIONS › a bucket that does not exist is 403 "Bucket not found"', async () => {
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
