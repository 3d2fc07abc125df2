/**
 * AWS Signature Version 4, the verifying side: the canonical request and string to sign
 * built from what the client sent, and HMAC-SHA256 under a derived signing key.
 *
 * Quirks that matter for S3:
 * - S3 does not normalise or double-encode the path. Most clients sign the path as they send
 *   it (already percent-encoded once). Others sign S3's own canonical form, the decoded key
 *   re-encoded strictly with `/` kept: they send `!*'()` bare but sign `%21%2A%27%28%29`, or
 *   send a key's `/` as `%2F` but sign `/` (aws4fetch must, for keys like `../y`, since
 *   WHATWG URLs resolve dot segments). That form is tried when the raw one does not match.
 * - The query is canonicalised from the raw string: each name and value form-decoded (`+` is
 *   a space, as S3 and URLSearchParams read it; a literal plus arrives as `%2B`), then
 *   encoded per RFC 3986, sorted by name then value. aws4fetch's presigned URLs send spaces
 *   as `+` and sign them as `%20`.
 * - Header values are trimmed and runs of spaces collapsed.
 * Hashing uses node:crypto (native in workerd with nodejs_compat, synchronous).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const signingKeys = new Map<string, Buffer>();

/** kSigning = HMAC chain over date, region, service; cached, it changes once a day per key. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${secret}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    const kDate = createHmac("sha256", `AWS4${secret}`).update(date).digest();
    const kRegion = createHmac("sha256", kDate).update(region).digest();
    const kService = createHmac("sha256", kRegion).update(service).digest();
    key = createHmac("sha256", kService).update("aws4_request").digest();
    if (signingKeys.size > 1000) signingKeys.clear();
    signingKeys.set(cacheKey, key);
  }
  return key;
}

export function hmacHex(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function signaturesEqual(expected: string, provided: string): boolean {
  if (expected.length !== provided.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(provided));
}

/** RFC 3986 encoding as SigV4 defines it: everything but unreserved characters (and `/`). */
export function uriEncode(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

function decodeComponent(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** S3's canonical path: the decoded path re-encoded strictly, `/` kept (so `%2F` signs as `/`). */
export function normalizedPath(rawPath: string): string {
  return rawPath
    .split("/")
    .map((segment) => uriEncode(decodeComponent(segment), true))
    .join("/");
}

/** A query name or value as S3 reads it: form-decoded, `+` being a space. */
function decodeQueryComponent(value: string): string {
  return decodeComponent(value.replace(/\+/g, " "));
}

/** The canonical query string of a raw query (without `?`), leaving out `exclude`. */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  if (!rawQuery) return "";
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const name = decodeQueryComponent(eq < 0 ? part : part.slice(0, eq));
    if (name === exclude) continue;
    const value = eq < 0 ? "" : decodeQueryComponent(part.slice(eq + 1));
    pairs.push([uriEncode(name, false), uriEncode(value, false)]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join("&");
}

export function canonicalHeaders(headers: Headers, signedHeaders: string[]): string {
  let out = "";
  for (const name of signedHeaders) {
    const value = (headers.get(name) ?? "").trim().replace(/ +/g, " ");
    out += `${name}:${value}\n`;
  }
  return out;
}

export interface CanonicalParts {
  method: string;
  path: string;
  query: string;
  headers: string;
  signedHeaders: string;
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalParts): string {
  return `${p.method}\n${p.path}\n${p.query}\n${p.headers}\n${p.signedHeaders}\n${p.payloadHash}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/** `20130524T000000Z` → epoch milliseconds, or NaN. */
export function parseAmzDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}
