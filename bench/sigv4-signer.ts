/**
 * SigV4 for the load generator, made cheap: the signing key is derived once per UTC day (four
 * HMACs), the `x-amz-date` string once per second, and the scope once per key; each request
 * then costs one SHA-256 of its canonical request and one HMAC, both native (node:crypto).
 *
 * Only what the generator sends is supported: path-style URLs whose path is already
 * percent-encoded and whose query is already canonical (sorted, RFC 3986 encoded) — callers
 * build both once with `canonicalQuery` and `encodeKeyPath`, so nothing is re-encoded per
 * request. Signed headers are always host, x-amz-content-sha256 and x-amz-date, as the AWS
 * CLI signs them.
 */
import { createHash, createHmac } from "node:crypto";

export const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const SIGNED_HEADERS = "host;x-amz-content-sha256;x-amz-date";

export class Sigv4Signer {
  readonly #credentials: Credentials;
  readonly #region: string;
  /** `host:port` as sent in the Host header, which is signed */
  readonly #host: string;
  #day = "";
  #key: Buffer = Buffer.alloc(0);
  #credentialPrefix = "";
  #scope = "";
  #second = -1;
  #amzDate = "";

  constructor(credentials: Credentials, region: string, host: string) {
    this.#credentials = credentials;
    this.#region = region;
    this.#host = host;
  }

  /**
   * The headers that authenticate one request. `path` and `query` must be exactly what goes
   * on the wire (query without `?`, already canonical); `payloadHash` is UNSIGNED-PAYLOAD or
   * the hex SHA-256 of the body.
   */
  sign(method: string, path: string, query: string, payloadHash: string, now = Date.now()): Record<string, string> {
    const amzDate = this.#dateFor(now);
    const canonical = `${method}\n${path}\n${query}\nhost:${this.#host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n\n${SIGNED_HEADERS}\n${payloadHash}`;
    const hashed = createHash("sha256").update(canonical).digest("hex");
    const signature = createHmac("sha256", this.#key).update(`AWS4-HMAC-SHA256\n${amzDate}\n${this.#scope}\n${hashed}`).digest("hex");
    return {
      host: this.#host,
      "x-amz-content-sha256": payloadHash,
      "x-amz-date": amzDate,
      authorization: `${this.#credentialPrefix}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`,
    };
  }

  /** `YYYYMMDDTHHMMSSZ`, recomputed only when the second changes; the key when the day does. */
  #dateFor(now: number): string {
    const second = Math.floor(now / 1000);
    if (second === this.#second) return this.#amzDate;
    this.#second = second;
    this.#amzDate = new Date(second * 1000).toISOString().replace(/[-:]/g, "").replace(".000", "");
    const day = this.#amzDate.slice(0, 8);
    if (day !== this.#day) this.#deriveKey(day);
    return this.#amzDate;
  }

  #deriveKey(day: string): void {
    const kDate = createHmac("sha256", `AWS4${this.#credentials.secretAccessKey}`).update(day).digest();
    const kRegion = createHmac("sha256", kDate).update(this.#region).digest();
    const kService = createHmac("sha256", kRegion).update("s3").digest();
    this.#key = createHmac("sha256", kService).update("aws4_request").digest();
    this.#day = day;
    this.#scope = `${day}/${this.#region}/s3/aws4_request`;
    this.#credentialPrefix = `AWS4-HMAC-SHA256 Credential=${this.#credentials.accessKeyId}/${this.#scope}`;
  }
}

/** RFC 3986 encoding as SigV4 defines it (unreserved characters kept; `/` kept if asked). */
export function uriEncode(value: string, keepSlash: boolean): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, "/") : encoded;
}

/** `/bucket/key` as both the wire path and the canonical URI (S3 does not double-encode). */
export function encodeKeyPath(bucket: string, key?: string): string {
  return key === undefined ? `/${uriEncode(bucket, false)}` : `/${uriEncode(bucket, false)}/${uriEncode(key, true)}`;
}

/** A query string that is both sent and signed: names sorted, names and values encoded. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((name) => `${uriEncode(name, false)}=${uriEncode(params[name]!, false)}`)
    .join("&");
}
