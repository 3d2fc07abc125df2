/**
 * Bucket policies as the bucket evaluates them (shared/access/bucket-policy.ts and
 * policy-conditions.ts): principals, action and resource wildcards, Not… elements, IAM's
 * condition operators with missing keys, and Deny over Allow.
 */
import { describe, expect, it } from "vitest";
import { compilePolicy, evaluatePolicy, type PolicyQuestion } from "../../shared/access/bucket-policy";
import { conditionProblem, conditionsHold } from "../../shared/access/policy-conditions";
import { addressInRange as ipMatches } from "../../shared/cidr";
import { conditionContext } from "../../shared/access/access-request";

const OWNER = "owner-test";
const OTHER = "owner-other";

function policy(...statements: object[]) {
  return compilePolicy(JSON.stringify({ Version: "2012-10-17", Statement: statements }));
}

function ask(overrides: Partial<PolicyQuestion> & { who?: "anonymous" | "other" | "owner" }): PolicyQuestion {
  const who = overrides.who ?? "other";
  const subject =
    who === "anonymous" ? { anonymous: true, ownerId: "" } : { anonymous: false, ownerId: who === "owner" ? OWNER : OTHER, principalArn: `arn:aws:iam::${who === "owner" ? OWNER : OTHER}:user/x` };
  return { subject, action: "s3:GetObject", resource: "arn:aws:s3:::b/k", context: {}, ...overrides };
}

describe("bucket policy evaluation", () => {
  it("policy › a public read lets anyone read objects, and nothing else", () => {
    const publicRead = policy({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" });
    expect(publicRead.isPublic).toBe(true);
    expect(evaluatePolicy(publicRead, ask({ who: "anonymous" }))).toBe("Allow");
    expect(evaluatePolicy(publicRead, ask({ who: "anonymous", action: "s3:PutObject" }))).toBeUndefined();
    expect(evaluatePolicy(publicRead, ask({ who: "anonymous", action: "s3:ListBucket", resource: "arn:aws:s3:::b" }))).toBeUndefined();
    expect(evaluatePolicy(publicRead, ask({ who: "anonymous", restrictPublic: true }))).toBeUndefined();
  });

  it("policy › principals: an account's root, a bare id, a key's ARN, a canonical user; never the anonymous caller", () => {
    for (const principal of [{ AWS: `arn:aws:iam::${OTHER}:root` }, { AWS: [OTHER] }, { AWS: `arn:aws:iam::${OTHER}:user/x` }, { CanonicalUser: OTHER }]) {
      const allowed = policy({ Effect: "Allow", Principal: principal, Action: "s3:*", Resource: "*" });
      expect(allowed.isPublic).toBe(false);
      expect(evaluatePolicy(allowed, ask({}))).toBe("Allow");
      expect(evaluatePolicy(allowed, ask({ who: "owner" }))).toBeUndefined();
      expect(evaluatePolicy(allowed, ask({ who: "anonymous" }))).toBeUndefined();
    }
  });

  it("policy › an explicit Deny wins; actions match without case, with wildcards; Not… elements invert", () => {
    const both = policy(
      { Effect: "Allow", Principal: "*", Action: "s3:Get*", Resource: "arn:aws:s3:::b/*" },
      { Effect: "Deny", Principal: "*", Action: "S3:GETOBJECT", Resource: "arn:aws:s3:::b/secret/*" },
    );
    expect(evaluatePolicy(both, ask({ resource: "arn:aws:s3:::b/public/x" }))).toBe("Allow");
    expect(evaluatePolicy(both, ask({ resource: "arn:aws:s3:::b/secret/x" }))).toBe("Deny");
    expect(evaluatePolicy(both, ask({ action: "s3:GetObjectTagging", resource: "arn:aws:s3:::b/secret/x" }))).toBe("Allow");
    const notAction = policy({ Effect: "Deny", NotPrincipal: { AWS: OWNER }, NotAction: "s3:GetObject", Resource: "arn:aws:s3:::b/?" });
    expect(evaluatePolicy(notAction, ask({ action: "s3:PutObject" }))).toBe("Deny");
    expect(evaluatePolicy(notAction, ask({ action: "s3:PutObject", who: "owner" }))).toBeUndefined();
    expect(evaluatePolicy(notAction, ask({ action: "s3:GetObject" }))).toBeUndefined();
    expect(evaluatePolicy(notAction, ask({ action: "s3:PutObject", resource: "arn:aws:s3:::b/kk" }))).toBeUndefined();
  });

  it("policy › conditions: plain operators fail on a missing key, negated ones and …IfExists hold, Null tests presence", () => {
    const context = { "aws:securetransport": "false", "aws:sourceip": "127.0.0.1", "s3:prefix": "shared/a" };
    expect(conditionsHold({ Bool: { "aws:SecureTransport": "false" } }, context)).toBe(true);
    expect(conditionsHold({ Bool: { "aws:SecureTransport": true } }, context)).toBe(false);
    expect(conditionsHold({ StringLike: { "s3:prefix": ["other/*", "shared/*"] } }, context)).toBe(true);
    expect(conditionsHold({ StringEquals: { "s3:x-amz-acl": "private" } }, context)).toBe(false);
    expect(conditionsHold({ StringNotEquals: { "s3:x-amz-acl": "private" } }, context)).toBe(true);
    expect(conditionsHold({ StringEqualsIfExists: { "s3:x-amz-acl": "private" } }, context)).toBe(true);
    expect(conditionsHold({ Null: { "s3:x-amz-server-side-encryption": "true" } }, context)).toBe(true);
    expect(conditionsHold({ Null: { "s3:x-amz-server-side-encryption": "true" } }, { ...context, "s3:x-amz-server-side-encryption": "AES256" })).toBe(false);
    expect(conditionsHold({ IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, context)).toBe(false);
    expect(conditionsHold({ NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, context)).toBe(true);
    expect(conditionsHold({ NumericLessThanEquals: { "s3:max-keys": "10" } }, { "s3:max-keys": "5" })).toBe(true);
    expect(conditionsHold({ DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } }, { "aws:currenttime": "2026-12-06T00:00:00Z" })).toBe(true);
    expect(conditionProblem({ StringSortOf: { "s3:prefix": "x" } })).toMatch(/Invalid Condition type/);
    expect(conditionProblem({ StringEquals: { "s3:prefix": [] } })).toMatch(/Invalid Condition value/);
    expect(conditionProblem({ "ForAnyValue:StringLikeIfExists": { "s3:prefix": "x" } })).toBeUndefined();
  });

  it("policy › source addresses: IPv4 and IPv6 ranges, IPv4-mapped addresses", () => {
    expect(ipMatches("127.0.0.1", "127.0.0.0/8")).toBe(true);
    expect(ipMatches("::ffff:127.0.0.1", "127.0.0.0/8")).toBe(true);
    expect(ipMatches("192.168.1.9", "192.168.1.8/31")).toBe(true);
    expect(ipMatches("192.168.1.10", "192.168.1.8/31")).toBe(false);
    expect(ipMatches("2001:db8::1", "2001:db8::/32")).toBe(true);
    expect(ipMatches("2001:db9::1", "2001:db8::/32")).toBe(false);
    expect(ipMatches("::1", "127.0.0.1/32")).toBe(false);
    expect(ipMatches("10.0.0.1", "10.0.0.1")).toBe(true);
  });

  it("policy › the keys a bucket derives: time, principal type and ARN, how the request was signed", () => {
    const signed = conditionContext(
      { action: "s3:GetObject", principalArn: `arn:aws:iam::${OTHER}:user/other`, presigned: true, context: { "aws:sourceip": "127.0.0.1" } },
      OTHER,
      "AKIAOTHER",
      Date.UTC(2026, 0, 2),
    );
    expect(signed).toMatchObject({
      "aws:sourceip": "127.0.0.1",
      "aws:currenttime": "2026-01-02T00:00:00.000Z",
      "aws:epochtime": "1767312000",
      "aws:principaltype": "User",
      "aws:principalaccount": OTHER,
      "aws:principalarn": `arn:aws:iam::${OTHER}:user/other`,
      "aws:username": "other",
      "aws:userid": "AKIAOTHER",
      "s3:authtype": "REST-QUERY-STRING",
    });
    const anonymous = conditionContext({ action: "s3:GetObject", anonymous: true, context: {} }, "", "anonymous", 0);
    expect(anonymous["aws:principaltype"]).toBe("Anonymous");
    expect(anonymous["aws:principalarn"]).toBeUndefined();
    const onlyUsers = policy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalType": "Anonymous" } } });
    expect(evaluatePolicy(onlyUsers, ask({ who: "anonymous", context: anonymous }))).toBe("Deny");
    expect(evaluatePolicy(onlyUsers, ask({ context: signed }))).toBeUndefined();
  });
});
