/**
 * What an upstream's 200 says about its object, as it is stored locally: size, ETag, Last-Modified,
 * the content headers S3 keeps with an object, and the user metadata (`x-amz-meta-*`).
 */
import { CONTENT_HEADERS } from "../../../shared/records";
import type { UpstreamHead } from "../../../shared/upstreams";

const META_PREFIX = "x-amz-meta-";

/** The head, or undefined without a valid Content-Length (S3 always sends one with a GET). */
export function upstreamHead(headers: Headers): UpstreamHead | undefined {
  const length = headers.get("content-length");
  if (length === null || !/^\d+$/.test(length) || !Number.isSafeInteger(Number(length))) return undefined;
  const head: UpstreamHead = { size: Number(length), userMetadata: {} };
  const etag = headers.get("etag");
  if (etag) head.etag = etag.startsWith('"') ? etag : `"${etag}"`;
  const lastModified = Date.parse(headers.get("last-modified") ?? "");
  if (Number.isFinite(lastModified)) head.lastModified = lastModified;
  for (const [field, name] of CONTENT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) head[field] = value;
  }
  head.contentType ??= "binary/octet-stream";
  headers.forEach((value, name) => {
    if (name.startsWith(META_PREFIX)) head.userMetadata[name.slice(META_PREFIX.length)] = value;
  });
  return head;
}
