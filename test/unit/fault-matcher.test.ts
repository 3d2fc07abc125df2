/**
 * compileConditions (shared/faults/matcher.ts): each condition, compiled from a checked rule,
 * against request facts that meet it and facts that just miss it.
 */
import { describe, expect, it } from "vitest";
import type { Condition } from "../../shared/faults/conditions";
import type { RequestFacts } from "../../shared/faults/facts";
import { queryRecord } from "../../shared/faults/facts";
import { compileConditions } from "../../shared/faults/matcher";
import { checkRule } from "../../shared/faults/rule";

const FACTS: RequestFacts = {
  requestId: "req-1",
  operation: "PutObject",
  method: "PUT",
  bucket: "logs-eu",
  key: "logs/2024/app.log",
  sourceAddress: "127.0.0.1",
  userAgent: "aws-sdk-js/3.1 ua/2.1 os/linux md/chaos-probe",
  accessKey: "test",
  contentLength: 1024,
  headers: { "x-chaos": "On", "content-type": "text/plain" },
  query: { "response-content-type": "text/plain" },
};

/** Conditions as a user writes them, checked like the API does, then compiled. */
function matcher(...conditions: unknown[]): (facts: Partial<RequestFacts>) => boolean {
  const check = checkRule({ name: "r", service: "gateway", conditions, action: { type: "http_error", http_code: 503 } });
  if (!check.ok) throw new Error(check.reason);
  const { tests } = compileConditions(check.rule.conditions);
  return (facts) => tests.every((test) => test({ ...FACTS, ...facts }));
}

describe("compileConditions", () => {
  it("compileConditions › no conditions match everything, and gates become gates, not tests", () => {
    expect(matcher()({})).toBe(true);
    const conditions = [
      { type: "probability", value: 0.5 },
      { type: "skip_first", value: 1 },
      { type: "every_nth", value: 2 },
      { type: "max_injections", value: 3 },
    ] as Condition[];
    expect(compileConditions(conditions)).toEqual({ tests: [], gates: { probability: 0.5, skipFirst: 1, everyNth: 2, maxInjections: 3 } });
  });

  it("compileConditions › operation and method: any of the listed", () => {
    const op = matcher({ type: "operation", value: ["PutObject", "UploadPart"] });
    expect(op({})).toBe(true);
    expect(op({ operation: "UploadPart" })).toBe(true);
    expect(op({ operation: "PutObjectTagging" })).toBe(false);
    const method = matcher({ type: "method", value: "HEAD" });
    expect(method({ method: "HEAD" })).toBe(true);
    expect(method({ method: "GET" })).toBe(false);
  });

  it("compileConditions › bucket: exact or glob, never a request without a bucket", () => {
    const exact = matcher({ type: "bucket", value: "logs-eu" });
    expect(exact({})).toBe(true);
    expect(exact({ bucket: "logs-eu1" })).toBe(false);
    expect(exact({ bucket: "Logs-eu" })).toBe(false);
    const glob = matcher({ type: "bucket", value: ["logs-*", "tmp-??"] });
    expect(glob({ bucket: "logs-us" })).toBe(true);
    expect(glob({ bucket: "tmp-ab" })).toBe(true);
    expect(glob({ bucket: "tmp-abc" })).toBe(false);
    expect(glob({ bucket: "log-us" })).toBe(false);
    expect(matcher({ type: "bucket", value: "*" })({ bucket: "" })).toBe(false);
  });

  it("compileConditions › key: prefix, glob and regex, never a request without a key", () => {
    const prefix = matcher({ type: "key", prefix: "logs/" });
    expect(prefix({})).toBe(true);
    expect(prefix({ key: "log/x" })).toBe(false);
    expect(prefix({ key: "Logs/x" })).toBe(false);
    const glob = matcher({ type: "key", glob: "logs/*.log" });
    expect(glob({})).toBe(true);
    expect(glob({ key: "logs/2024/app.logs" })).toBe(false);
    expect(matcher({ type: "key", glob: "a?c" })({ key: "abc" })).toBe(true);
    expect(matcher({ type: "key", glob: "a.c" })({ key: "abc" })).toBe(false);
    const regex = matcher({ type: "key", regex: "^logs/\\d{4}/" });
    expect(regex({})).toBe(true);
    expect(regex({ key: "logs/24/app.log" })).toBe(false);
    expect(matcher({ type: "key", prefix: "" })({ key: "" })).toBe(false);
  });

  it("compileConditions › header: equals (case-sensitive value, any-case name), regex, present", () => {
    const equals = matcher({ type: "header", name: "X-Chaos", equals: "On" });
    expect(equals({})).toBe(true);
    expect(equals({ headers: { "x-chaos": "on" } })).toBe(false);
    expect(equals({ headers: {} })).toBe(false);
    const regex = matcher({ type: "header", name: "content-type", regex: "^text/" });
    expect(regex({})).toBe(true);
    expect(regex({ headers: { "content-type": "application/text" } })).toBe(false);
    expect(regex({ headers: {} })).toBe(false);
    const present = matcher({ type: "header", name: "x-chaos", present: true });
    expect(present({})).toBe(true);
    expect(present({ headers: {} })).toBe(false);
    const absent = matcher({ type: "header", name: "x-chaos", present: false });
    expect(absent({ headers: {} })).toBe(true);
    expect(absent({})).toBe(false);
  });

  it("compileConditions › query: equals, regex, present", () => {
    const equals = matcher({ type: "query", name: "response-content-type", equals: "text/plain" });
    expect(equals({})).toBe(true);
    expect(equals({ query: { "response-content-type": "text/html" } })).toBe(false);
    expect(equals({ query: { "Response-Content-Type": "text/plain" } })).toBe(false);
    expect(matcher({ type: "query", name: "uploadId", regex: "^u-" })({ query: { uploadId: "u-1" } })).toBe(true);
    expect(matcher({ type: "query", name: "uploadId", present: true })({ query: {} })).toBe(false);
    expect(matcher({ type: "query", name: "uploads", present: true })({ query: { uploads: "" } })).toBe(true);
  });

  it("compileConditions › header and query names that are also Object's own (constructor, toString) are just names", () => {
    expect(matcher({ type: "query", name: "constructor", present: true })({ query: {} })).toBe(false);
    expect(matcher({ type: "query", name: "constructor", present: false })({ query: {} })).toBe(true);
    expect(matcher({ type: "header", name: "toString", present: true })({ headers: {} })).toBe(false);
    const query = queryRecord(new URLSearchParams("toString=1&a=1&a=2"));
    expect(matcher({ type: "query", name: "toString", equals: "1" })({ query })).toBe(true);
    expect(query.a).toBe("1");
  });

  it("compileConditions › source: IPv4 and IPv6 addresses and CIDR blocks", () => {
    const v4 = matcher({ type: "source", value: ["10.0.0.0/8", "192.168.1.7"] });
    expect(v4({ sourceAddress: "10.255.0.1" })).toBe(true);
    expect(v4({ sourceAddress: "11.0.0.1" })).toBe(false);
    expect(v4({ sourceAddress: "192.168.1.7" })).toBe(true);
    expect(v4({ sourceAddress: "192.168.1.8" })).toBe(false);
    expect(v4({ sourceAddress: undefined })).toBe(false);
    expect(v4({ sourceAddress: "not an address" })).toBe(false);
    const loopback = matcher({ type: "source", value: "127.0.0.1/32" });
    expect(loopback({})).toBe(true);
    expect(loopback({ sourceAddress: "127.0.0.2" })).toBe(false);
    const v6 = matcher({ type: "source", value: ["2001:db8::/32", "::1"] });
    expect(v6({ sourceAddress: "2001:db8:1::5" })).toBe(true);
    expect(v6({ sourceAddress: "2001:db9::5" })).toBe(false);
    expect(v6({ sourceAddress: "::1" })).toBe(true);
    expect(v6({ sourceAddress: "127.0.0.1" })).toBe(false);
  });

  it("compileConditions › source: an IPv4-mapped IPv6 address or block is its IPv4 one", () => {
    const v4 = matcher({ type: "source", value: "10.0.0.0/8" });
    expect(v4({ sourceAddress: "::ffff:10.1.2.3" })).toBe(true);
    expect(v4({ sourceAddress: "::ffff:11.1.2.3" })).toBe(false);
    const mappedBlock = matcher({ type: "source", value: "::ffff:10.0.0.0/104" });
    expect(mappedBlock({ sourceAddress: "10.1.2.3" })).toBe(true);
    expect(mappedBlock({ sourceAddress: "::ffff:10.1.2.3" })).toBe(true);
    expect(mappedBlock({ sourceAddress: "11.1.2.3" })).toBe(false);
    const mappedHost = matcher({ type: "source", value: "::ffff:127.0.0.1" });
    expect(mappedHost({})).toBe(true);
    expect(mappedHost({ sourceAddress: "127.0.0.2" })).toBe(false);
  });

  it("compileConditions › user agent: contains (any case) or regex", () => {
    const contains = matcher({ type: "user_agent", contains: "Chaos-Probe" });
    expect(contains({})).toBe(true);
    expect(contains({ userAgent: "aws-sdk-js/3.1 md/chaos-prob" })).toBe(false);
    expect(contains({ userAgent: undefined })).toBe(false);
    const regex = matcher({ type: "user_agent", regex: "^aws-sdk-js/3\\." });
    expect(regex({})).toBe(true);
    expect(regex({ userAgent: "aws-cli/2.15 aws-sdk-js/3.1" })).toBe(false);
  });

  it("compileConditions › access key: any of the listed, never an anonymous request", () => {
    const key = matcher({ type: "access_key", value: ["test", "AKIAOTHEROWNER000000"] });
    expect(key({})).toBe(true);
    expect(key({ accessKey: "AKIAOTHEROWNER000000" })).toBe(true);
    expect(key({ accessKey: "AKIAOTHEROWNER000001" })).toBe(false);
    expect(key({ accessKey: undefined })).toBe(false);
  });

  it("compileConditions › content length: both ends inclusive, either end open", () => {
    const range = matcher({ type: "content_length", min: 10, max: 20 });
    for (const [length, hit] of [
      [9, false],
      [10, true],
      [20, true],
      [21, false],
    ] as const)
      expect(range({ contentLength: length })).toBe(hit);
    expect(range({ contentLength: undefined })).toBe(false);
    expect(matcher({ type: "content_length", min: 1 })({ contentLength: 5 * 2 ** 40 })).toBe(true);
    expect(matcher({ type: "content_length", min: 1 })({ contentLength: 0 })).toBe(false);
    expect(matcher({ type: "content_length", max: 0 })({ contentLength: 0 })).toBe(true);
  });

  it("compileConditions › part number: one value or a range", () => {
    const one = matcher({ type: "part_number", value: 3 });
    expect(one({ partNumber: 3 })).toBe(true);
    expect(one({ partNumber: 2 })).toBe(false);
    expect(one({ partNumber: 4 })).toBe(false);
    expect(one({})).toBe(false);
    const range = matcher({ type: "part_number", min: 2, max: 4 });
    for (const [part, hit] of [
      [1, false],
      [2, true],
      [4, true],
      [5, false],
    ] as const)
      expect(range({ partNumber: part })).toBe(hit);
    expect(matcher({ type: "part_number", min: 9_999 })({ partNumber: 10_000 })).toBe(true);
    expect(matcher({ type: "part_number", max: 1 })({ partNumber: 2 })).toBe(false);
  });

  it("compileConditions › time window: now inside, ends open, the end itself outside", () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    expect(matcher({ type: "time_window", start: at(-60_000), end: at(60_000) })({})).toBe(true);
    expect(matcher({ type: "time_window", start: at(-120_000), end: at(-60_000) })({})).toBe(false);
    expect(matcher({ type: "time_window", start: at(60_000) })({})).toBe(false);
    expect(matcher({ type: "time_window", start: at(-60_000) })({})).toBe(true);
    expect(matcher({ type: "time_window", end: at(60_000) })({})).toBe(true);
    expect(matcher({ type: "time_window", end: at(-60_000) })({})).toBe(false);
  });

  it("compileConditions › all conditions must hold", () => {
    const both = matcher({ type: "operation", value: "PutObject" }, { type: "key", prefix: "logs/" }, { type: "header", name: "x-chaos", present: true });
    expect(both({})).toBe(true);
    expect(both({ operation: "GetObject" })).toBe(false);
    expect(both({ key: "data/x" })).toBe(false);
    expect(both({ headers: {} })).toBe(false);
  });
});
