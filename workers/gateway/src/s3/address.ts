/**
 * Which bucket and key a request addresses. Path-style (`/bucket/key`) always works;
 * virtual-hosted-style (`bucket.<baseDomain>/key`) works for hosts under the configured base
 * domain (MOCKS3_BASE_DOMAIN, default `localhost`; `*.localhost` resolves to loopback).
 *
 * The path is taken from the request line as sent: SigV4 signs it that way, and keys may
 * hold `//`, `./` or `../` that URL normalisation would rewrite.
 */
import { S3Error } from "../../../../shared/s3-errors";

export interface RawTarget {
  host: string;
  /** the path exactly as on the request line, still percent-encoded */
  rawPath: string;
  /** the query without `?`, still percent-encoded */
  rawQuery: string;
  query: URLSearchParams;
  bucket?: string;
  /** the bucket came from the host (`bucket.<baseDomain>`), not the path */
  virtualHosted: boolean;
  /** empty for bucket-level requests */
  key: string;
}

/** S3 keys are at most 1024 bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;

export function addressOf(request: Request, baseDomain: string): RawTarget {
  const url = request.url;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  const queryStart = url.indexOf("?", pathStart);
  const rawPath = pathStart < 0 ? "/" : queryStart < 0 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
  const rawQuery = queryStart < 0 ? "" : url.slice(queryStart + 1);
  const host = request.headers.get("host") ?? new URL(url).host;
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  const virtualBucket = hostname.endsWith(`.${baseDomain}`) ? hostname.slice(0, -baseDomain.length - 1) : undefined;
  const target: RawTarget = { host, rawPath, rawQuery, query: new URLSearchParams(rawQuery), virtualHosted: virtualBucket !== undefined, key: "" };
  if (virtualBucket) {
    target.bucket = virtualBucket;
    target.key = decodePath(rawPath.slice(1));
  } else {
    const slash = rawPath.indexOf("/", 1);
    const bucket = decodePath(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    if (bucket) target.bucket = bucket;
    target.key = slash < 0 ? "" : decodePath(rawPath.slice(slash + 1));
  }
  // a UTF-16 code unit is at most 3 bytes of UTF-8: only long keys need measuring
  if (target.key.length * 3 > MAX_KEY_BYTES && new TextEncoder().encode(target.key).byteLength > MAX_KEY_BYTES) {
    throw new S3Error("KeyTooLongError", undefined, { Size: target.key.length, MaxSizeAllowed: MAX_KEY_BYTES });
  }
  return target;
}

function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new S3Error("InvalidArgument", "The request path is not valid percent-encoded UTF-8.");
  }
}
