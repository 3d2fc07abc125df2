/**
 * The headers S3 stores with an object (content headers, `x-amz-meta-*`) and the headers it
 * answers GET and HEAD with, including the `response-*` overrides of a GET.
 */
import { CONTENT_HEADERS, type ContentHeaders, type ObjectRecord } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { checksumHeader } from "../body/checksums";
import { encryptionHeaders } from "./encryption";
import { lockHeaders } from "./object-lock";
import { storageClassHeaders } from "./storage-class";

/** S3 limits user metadata to 2 KB: the UTF-8 bytes of every name and value. */
const MAX_USER_METADATA_BYTES = 2048;
const META_PREFIX = "x-amz-meta-";

export function contentHeadersFrom(headers: Headers): ContentHeaders {
  const out: ContentHeaders = {};
  for (const [field, name] of CONTENT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) out[field] = value;
  }
  if (out.contentEncoding !== undefined) {
    const encoding = withoutAwsChunked(out.contentEncoding);
    if (encoding) out.contentEncoding = encoding;
    else delete out.contentEncoding;
  }
  out.contentType ??= "binary/octet-stream";
  return out;
}

/**
 * aws-chunked is the transfer framing, not the object's encoding: S3 drops that member and
 * keeps the rest as sent (`deflate, gzip` keeps its space).
 */
function withoutAwsChunked(encoding: string): string {
  if (!/aws-chunked/i.test(encoding)) return encoding;
  return encoding
    .split(",")
    .filter((member) => member.trim().toLowerCase() !== "aws-chunked")
    .join(",")
    .trim();
}

export function userMetadataFrom(headers: Headers): Record<string, string> {
  const meta: Record<string, string> = {};
  let bytes = 0;
  for (const [name, value] of headers) {
    if (!name.startsWith(META_PREFIX)) continue;
    const key = name.slice(META_PREFIX.length);
    meta[key] = value;
    bytes += utf8Length(key) + utf8Length(value);
  }
  if (bytes > MAX_USER_METADATA_BYTES) {
    throw new S3Error("MetadataTooLarge", undefined, { Size: bytes, MaxSizeAllowed: MAX_USER_METADATA_BYTES });
  }
  return meta;
}

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).byteLength;
}

/** GET's `response-*` query parameters and the headers they override. */
const OVERRIDES: Array<[string, string]> = [
  ["response-content-type", "content-type"],
  ["response-content-language", "content-language"],
  ["response-expires", "expires"],
  ["response-cache-control", "cache-control"],
  ["response-content-disposition", "content-disposition"],
  ["response-content-encoding", "content-encoding"],
];

export function objectHeaders(record: ObjectRecord, query: URLSearchParams | undefined, withChecksum: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    etag: record.etag,
    "last-modified": new Date(record.lastModified).toUTCString(),
    "accept-ranges": "bytes",
  };
  for (const [field, name] of CONTENT_HEADERS) {
    const value = record[field];
    if (value !== undefined) headers[name] = value;
  }
  for (const [key, value] of Object.entries(record.userMetadata)) headers[META_PREFIX + key] = value;
  if (record.tags.length > 0) headers["x-amz-tagging-count"] = String(record.tags.length);
  if (record.versioned) headers["x-amz-version-id"] = record.versionId;
  if (withChecksum && record.checksum) headers[checksumHeader(record.checksum.algorithm)] = record.checksum.value;
  // a multipart object's checksum says how it was formed (COMPOSITE or FULL_OBJECT)
  if (withChecksum && record.checksum?.type) headers["x-amz-checksum-type"] = record.checksum.type;
  Object.assign(headers, storageClassHeaders(record, Date.now()), lockHeaders(record), encryptionHeaders(record.encryption));
  if (query) {
    for (const [param, name] of OVERRIDES) {
      const value = query.get(param);
      if (value !== null) headers[name] = value;
    }
  }
  return headers;
}
