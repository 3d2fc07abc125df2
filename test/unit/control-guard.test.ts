/**
 * The control plane's protection (shared/control/guard.ts), request by request: which Host
 * names are served (DNS rebinding), the bearer token, and the changes a web page cannot make
 * (another Origin, a body that is not JSON). The stack-level tests are in
 * test/faults/control-plane-protection.test.ts and the console's browser test.
 */
import { describe, expect, it } from "vitest";
import { parseControlPolicy, refusalOf } from "../../shared/control/guard";
import { timingSafeEqual } from "../../shared/control/timing-safe-equal";

const open = parseControlPolicy({});
const request = (method: string, headers: Record<string, string>) => [method, new Headers({ host: "127.0.0.1:8085", ...headers })] as const;
const refused = (method: string, headers: Record<string, string>, policy = open) => refusalOf(...request(method, headers), policy);

describe("control guard", () => {
  it("control guard › serves addresses, localhost and configured names; refuses any other Host", () => {
    for (const host of ["127.0.0.1:8085", "localhost:8085", "LOCALHOST", "[::1]:8085", "console.localhost:8085", "10.1.2.3", "[fe80::1]"]) {
      expect(refused("GET", { host }), host).toBeUndefined();
    }
    for (const host of ["evil.example:8085", "127.0.0.1.nip.io:8085", "localhost.evil.example", "mocks3"]) {
      expect(refused("GET", { host }), host).toMatchObject({ status: 403, error: "forbidden" });
    }
    const named = parseControlPolicy({ MOCKS3_CONTROL_HOSTS: " MockS3 , ci-runner.internal" });
    expect(refused("GET", { host: "mocks3:8085" }, named)).toBeUndefined();
    expect(refused("GET", { host: "ci-runner.internal" }, named)).toBeUndefined();
    expect(refused("GET", { host: "other.internal" }, named)?.reason).toContain("MOCKS3_CONTROL_HOSTS");
  });

  it("control guard › with a token, every request needs it as a bearer token; without one nothing is asked", () => {
    const policy = parseControlPolicy({ MOCKS3_CONTROL_TOKEN: "s3cret-token" });
    expect(refused("GET", {}, policy)).toMatchObject({ status: 401, error: "unauthorized" });
    expect(refused("GET", { authorization: "Bearer wrong" }, policy)?.status).toBe(401);
    expect(refused("GET", { authorization: "Bearer s3cret-token-and-more" }, policy)?.status).toBe(401);
    expect(refused("GET", { authorization: "Basic s3cret-token" }, policy)?.status).toBe(401);
    expect(refused("GET", { authorization: "Bearer s3cret-token" }, policy)).toBeUndefined();
    expect(refused("DELETE", { authorization: "bearer s3cret-token" }, policy)).toBeUndefined();
    expect(refused("GET", {})).toBeUndefined();
    expect(parseControlPolicy({ MOCKS3_CONTROL_TOKEN: "  " }).token).toBeUndefined();
  });

  it("control guard › a change from another origin is refused; the page's own origin and curl (no Origin) pass", () => {
    const json = { "content-type": "application/json", "content-length": "2" };
    expect(refused("POST", { ...json, origin: "http://evil.example" })).toMatchObject({ status: 403 });
    expect(refused("POST", { ...json, origin: "http://127.0.0.1:3000" })).toMatchObject({ status: 403 });
    expect(refused("DELETE", { origin: "null" })).toMatchObject({ status: 403 });
    expect(refused("POST", { ...json, "sec-fetch-site": "cross-site" })).toMatchObject({ status: 403 });
    expect(refused("POST", { ...json, origin: "http://127.0.0.1:8085" })).toBeUndefined();
    expect(refused("POST", json)).toBeUndefined();
    // reading is not changing: a page of another origin cannot read the answer anyway (no CORS)
    expect(refused("GET", { origin: "http://evil.example" })).toBeUndefined();
  });

  it("control guard › a change with a body must say it is JSON; one without a body needs no type", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect(refused("POST", { "content-type": type, "content-length": "10" }), type).toMatchObject({ status: 415, error: "unsupported_media_type" });
    }
    expect(refused("PUT", { "content-length": "10" })?.status).toBe(415);
    expect(refused("POST", { "transfer-encoding": "chunked" })?.status).toBe(415);
    expect(refused("POST", { "content-type": "application/json; charset=utf-8", "content-length": "2" })).toBeUndefined();
    expect(refused("PATCH", { "content-type": "application/merge-patch+json", "content-length": "2" })).toBeUndefined();
    expect(refused("POST", {})).toBeUndefined();
    expect(refused("POST", { "content-length": "0" })).toBeUndefined();
  });

  it("control guard › compares tokens whole", () => {
    expect(timingSafeEqual("abc", "abc")).toBe(true);
    expect(timingSafeEqual("abd", "abc")).toBe(false);
    expect(timingSafeEqual("ab", "abc")).toBe(false);
    expect(timingSafeEqual("", "abc")).toBe(false);
    expect(timingSafeEqual("abcd", "abc")).toBe(false);
  });
});
