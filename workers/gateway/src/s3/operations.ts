/**
 * Which S3 operation a request is, from its method, whether it names a bucket and a key,
 * its subresource query parameters and `x-amz-copy-source` — the way S3 itself routes.
 * Operations MockS3 does not serve yet still get their S3 name, so they answer
 * NotImplemented under it.
 */
import type { Operation } from "../../../../shared/s3-operations";
import { KIND_BY_SUBRESOURCE } from "../bucket-config/kinds";
import type { RawTarget } from "./address";

export type { Operation };

export type Detected = { name: Operation; implemented: true } | { name: string; implemented: false };

/** Subresources S3 has and MockS3 does not serve yet. */
const BUCKET_SUBRESOURCES = ["analytics", "intelligent-tiering", "inventory", "metrics", "uploads"];
const OBJECT_SUBRESOURCES = ["attributes", "select", "torrent", "uploadId", "uploads"];

const SPECIAL_NAMES: Record<string, string> = {
  "POST Object select": "SelectObjectContent",
};

export function detectOperation(method: string, headers: Headers, target: RawTarget): Detected {
  const q = target.query;
  if (!target.bucket) return method === "GET" ? ok("ListBuckets") : missing(method, "Service");
  if (!target.key) {
    switch (method) {
      case "GET":
        if (q.has("location")) return ok("GetBucketLocation");
        if (q.has("acl")) return ok("GetBucketAcl");
        if (q.has("versioning")) return ok("GetBucketVersioning");
        if (q.has("versions")) return ok("ListObjectVersions");
        if (q.has("cors")) return ok("GetBucketCors");
        if (q.has("notification")) return ok("GetBucketNotificationConfiguration");
        if (q.has("uploads")) return ok("ListMultipartUploads");
        if (q.has("policyStatus")) return ok("GetBucketPolicyStatus");
        if (q.has("policy")) return ok("GetBucketPolicy");
        return configOperation(q, "get") ?? subresource(method, "Bucket", q, BUCKET_SUBRESOURCES) ?? ok(q.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects");
      case "PUT":
        if (q.has("acl")) return ok("PutBucketAcl");
        if (q.has("versioning")) return ok("PutBucketVersioning");
        if (q.has("cors")) return ok("PutBucketCors");
        if (q.has("notification")) return ok("PutBucketNotificationConfiguration");
        if (q.has("policy")) return ok("PutBucketPolicy");
        return configOperation(q, "put") ?? subresource(method, "Bucket", q, BUCKET_SUBRESOURCES) ?? ok("CreateBucket");
      case "HEAD":
        return ok("HeadBucket");
      case "DELETE":
        if (q.has("cors")) return ok("DeleteBucketCors");
        if (q.has("policy")) return ok("DeleteBucketPolicy");
        return configOperation(q, "delete") ?? subresource(method, "Bucket", q, BUCKET_SUBRESOURCES) ?? ok("DeleteBucket");
      case "POST":
        return q.has("delete") ? ok("DeleteObjects") : missing(method, "Bucket");
      default:
        return missing(method, "Bucket");
    }
  }
  const multipart = multipartOperation(method, headers, q);
  if (multipart) return ok(multipart);
  const other = subresource(method, "Object", q, OBJECT_SUBRESOURCES);
  switch (method) {
    case "GET":
      if (q.has("attributes")) return ok("GetObjectAttributes");
      if (q.has("retention")) return ok("GetObjectRetention");
      if (q.has("legal-hold")) return ok("GetObjectLegalHold");
      if (q.has("tagging")) return ok("GetObjectTagging");
      if (q.has("acl")) return ok("GetObjectAcl");
      return other ?? ok("GetObject");
    case "HEAD":
      return other ?? ok("HeadObject");
    case "PUT":
      if (q.has("tagging")) return ok("PutObjectTagging");
      if (q.has("retention")) return ok("PutObjectRetention");
      if (q.has("legal-hold")) return ok("PutObjectLegalHold");
      if (q.has("acl")) return ok("PutObjectAcl");
      return other ?? ok(headers.has("x-amz-copy-source") ? "CopyObject" : "PutObject");
    case "DELETE":
      if (q.has("tagging")) return ok("DeleteObjectTagging");
      return other ?? ok("DeleteObject");
    case "POST":
      if (q.has("restore")) return ok("RestoreObject");
      return other ?? missing(method, "Object");
    default:
      return other ?? missing(method, "Object");
  }
}

/**
 * A stored configuration's operation (bucket-config/kinds.ts). One S3 has no DELETE for
 * (logging, accelerate…) is named as S3 would and answers NotImplemented, as before.
 */
function configOperation(q: URLSearchParams, verb: "get" | "put" | "delete"): Detected | undefined {
  for (const name of q.keys()) {
    const kind = KIND_BY_SUBRESOURCE.get(name);
    if (!kind) continue;
    const operation = kind[verb];
    return operation ? ok(operation) : subresource(verb.toUpperCase(), "Bucket", q, [name]);
  }
  return undefined;
}

/** `?uploads` (POST: start) and `?uploadId` (PUT a part, GET its parts, POST: complete, DELETE: abort). */
function multipartOperation(method: string, headers: Headers, q: URLSearchParams): Operation | undefined {
  if (q.has("uploadId")) {
    if (method === "PUT") return headers.has("x-amz-copy-source") ? "UploadPartCopy" : "UploadPart";
    if (method === "GET") return "ListParts";
    if (method === "POST") return "CompleteMultipartUpload";
    if (method === "DELETE") return "AbortMultipartUpload";
  }
  return method === "POST" && q.has("uploads") ? "CreateMultipartUpload" : undefined;
}

function subresource(method: string, level: string, q: URLSearchParams, names: string[]): Detected | undefined {
  for (const name of names) {
    if (!q.has(name)) continue;
    const verb = method[0] + method.slice(1).toLowerCase();
    const pascal = name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
    return { name: SPECIAL_NAMES[`${method} ${level} ${name}`] ?? `${verb}${level}${pascal}`, implemented: false };
  }
  return undefined;
}

function ok(name: Operation): Detected {
  return { name, implemented: true };
}

function missing(method: string, level: string): Detected {
  return { name: `${method} ${level}`, implemented: false };
}
