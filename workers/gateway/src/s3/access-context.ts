/**
 * What a request asks of its bucket, for the bucket's policy and ACLs to judge
 * (shared/access): the operation's IAM action, the object, who signed, and the condition keys
 * a policy may test — `aws:SecureTransport`, `aws:SourceIp`, `s3:prefix`, the request's
 * `x-amz-*` choices… — named in lower case as IAM compares them; and the bucket owner the
 * request expects (`x-amz-expected-bucket-owner`), which S3 checks before anything else.
 */
import { type AccessRequest, principalArnOf } from "../../../../shared/access/access-request";
import type { Caller } from "../../../../shared/records";
import type { Operation } from "../../../../shared/s3-operations";
import type { Identity } from "../auth/authenticate";
import type { RawTarget } from "./address";
import { actionOf } from "./iam-actions";

/** Condition keys read from a request header of the same name. */
const HEADER_KEYS = [
  "x-amz-acl",
  "x-amz-server-side-encryption",
  "x-amz-server-side-encryption-aws-kms-key-id",
  "x-amz-server-side-encryption-customer-algorithm",
  "x-amz-storage-class",
  "x-amz-copy-source",
  "x-amz-metadata-directive",
  "x-amz-content-sha256",
  "x-amz-grant-read",
  "x-amz-grant-write",
  "x-amz-grant-read-acp",
  "x-amz-grant-write-acp",
  "x-amz-grant-full-control",
];

/** Condition keys read from the query: a listing's parameters, a version. */
const QUERY_KEYS: Record<string, string> = { prefix: "s3:prefix", delimiter: "s3:delimiter", "max-keys": "s3:max-keys", versionId: "s3:versionid" };

/**
 * Only what the request itself carries travels with it (every request pays for it); the keys
 * the bucket can derive — the time, who signed and how — it adds when a policy asks
 * (durable-objects/bucket/bucket-access.ts).
 */
export function accessRequest(request: Request, target: RawTarget, operation: Operation, identity: Identity, sourceIp: string | undefined): AccessRequest {
  const headers = request.headers;
  const context: Record<string, string> = { "aws:securetransport": request.url.startsWith("https:") ? "true" : "false" };
  if (sourceIp) context["aws:sourceip"] = sourceIp;
  const userAgent = headers.get("user-agent");
  if (userAgent !== null) context["aws:useragent"] = userAgent;
  const referer = headers.get("referer");
  if (referer !== null) context["aws:referer"] = referer;
  for (const name of HEADER_KEYS) {
    const value = headers.get(name);
    if (value !== null) context[`s3:${name}`] = value;
  }
  const lockMode = headers.get("x-amz-object-lock-mode");
  if (lockMode !== null) context["s3:object-lock-mode"] = lockMode;
  const legalHold = headers.get("x-amz-object-lock-legal-hold");
  if (legalHold !== null) context["s3:object-lock-legal-hold"] = legalHold;
  for (const [parameter, key] of Object.entries(QUERY_KEYS)) {
    const value = target.query.get(parameter);
    if (value !== null) context[key] = value;
  }
  const access: AccessRequest = { action: actionOf(operation, target.query), context };
  if (target.key) access.key = target.key;
  const expectedOwner = headers.get("x-amz-expected-bucket-owner");
  if (expectedOwner !== null) access.expectedOwner = expectedOwner;
  if (identity.anonymous) {
    access.anonymous = true;
    return access;
  }
  access.principalArn = principalArnOf(identity.ownerId, identity.displayName);
  if (!headers.has("authorization")) access.presigned = true;
  return access;
}

/** The caller as the bucket of a copy's source sees it: a read of that object, owned as `x-amz-source-expected-bucket-owner` says. */
export function sourceCaller(caller: Caller, key: string, versionId: string | undefined, headers: Headers): Caller {
  if (!caller.access) return caller;
  const context = { ...caller.access.context };
  if (versionId) context["s3:versionid"] = versionId;
  else delete context["s3:versionid"];
  const { expectedOwner: _destination, ...access } = caller.access;
  const source = { ...access, action: versionId ? "s3:GetObjectVersion" : "s3:GetObject", key, context };
  const expectedOwner = headers.get("x-amz-source-expected-bucket-owner");
  return { ...caller, access: expectedOwner === null ? source : { ...source, expectedOwner } };
}
