/**
 * SigV2 query-string authentication: `?AWSAccessKeyId=…&Expires=…&Signature=…`, what the
 * boto3/botocore of Debian 12 write for `generate_presigned_url` in us-east-1, where S3 still
 * honours them. Verified as S3 does: the base64 HMAC-SHA1, under the key's secret, of
 *
 *   VERB \n Content-MD5 \n Content-Type \n Expires \n x-amz-* headers (sorted, `name:value\n`)
 *   resource: the path as sent (with `/bucket` in front when virtual-hosted) and S3's
 *             sub-resources from the query (`?acl`, `?uploadId=…`, `response-*`…), sorted
 *
 * and refused once `Expires` (seconds since the epoch) has passed: 403 AccessDenied "Request
 * has expired". Before MockS3 read them, such URLs passed as unsigned requests, expired ones
 * too. SigV2 in the Authorization header stays refused (authenticate.ts).
 */
import { createHmac } from "node:crypto";
import { S3Error } from "../../../../shared/s3-errors";
import type { Credential, GatewayConfig } from "../config";
import type { RawTarget } from "../s3/address";
import { signaturesEqual } from "./sigv4";

/** The query parameters S3 signs as sub-resources (botocore's list). */
const SUB_RESOURCES = new Set([
  "accelerate",
  "acl",
  "analytics",
  "cors",
  "delete",
  "inventory",
  "lifecycle",
  "location",
  "logging",
  "metrics",
  "notification",
  "object-lock",
  "partNumber",
  "policy",
  "replication",
  "requestPayment",
  "restore",
  "select",
  "select-type",
  "storageClass",
  "tagging",
  "torrent",
  "uploadId",
  "uploads",
  "versionId",
  "versioning",
  "versions",
  "website",
  "response-cache-control",
  "response-content-disposition",
  "response-content-encoding",
  "response-content-language",
  "response-content-type",
  "response-expires",
]);

export function isPresignedV2(query: URLSearchParams): boolean {
  return query.has("AWSAccessKeyId") && query.has("Signature");
}

/** The key that signed the URL, once its signature and expiry are checked. */
export function verifyPresignedV2(request: Request, target: RawTarget, config: GatewayConfig, now: number): Credential {
  const query = target.query;
  const accessKeyId = query.get("AWSAccessKeyId")!;
  const credential = config.credentials.get(accessKeyId);
  if (config.auth === "off") return credential ?? config.defaultCredential;
  if (!credential) throw new S3Error("InvalidAccessKeyId", undefined, { AWSAccessKeyId: accessKeyId });
  const expires = query.get("Expires") ?? "";
  if (!/^\d{1,12}$/.test(expires)) throw new S3Error("AccessDenied", "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
  if (now > Number(expires) * 1000) {
    throw new S3Error("AccessDenied", "Request has expired", { Expires: new Date(Number(expires) * 1000).toISOString(), ServerTime: new Date(now).toISOString() });
  }
  const toSign = stringToSign(request, target, expires);
  const signature = createHmac("sha1", credential.secretAccessKey).update(toSign, "utf8").digest("base64");
  const provided = query.get("Signature")!;
  if (!signaturesEqual(signature, provided)) {
    throw new S3Error("SignatureDoesNotMatch", undefined, { AWSAccessKeyId: accessKeyId, StringToSign: toSign, SignatureProvided: provided });
  }
  return credential;
}

function stringToSign(request: Request, target: RawTarget, expires: string): string {
  const headers = request.headers;
  const query = target.query;
  const amz = new Map<string, string[]>();
  const addAmz = (name: string, value: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("x-amz-")) amz.set(lower, [...(amz.get(lower) ?? []), value.trim()]);
  };
  for (const [name, value] of headers) addAmz(name, value);
  for (const [name, value] of query) addAmz(name, value);
  const amzLines = [...amz.keys()].sort().map((name) => `${name}:${amz.get(name)!.join(",")}\n`);
  const contentMd5 = query.get("Content-MD5") ?? headers.get("content-md5") ?? "";
  const contentType = query.get("Content-Type") ?? headers.get("content-type") ?? "";
  return `${request.method}\n${contentMd5}\n${contentType}\n${expires}\n${amzLines.join("")}${resourceOf(target)}`;
}

function resourceOf(target: RawTarget): string {
  const path = target.virtualHosted ? `/${target.bucket}${target.rawPath}` : target.rawPath;
  const subResources = [...target.query]
    .filter(([name]) => SUB_RESOURCES.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === "" ? name : `${name}=${value}`));
  return subResources.length > 0 ? `${path}?${subResources.join("&")}` : path;
}
