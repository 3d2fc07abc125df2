/**
 * Hand-made SigV4 requests for what aws4fetch cannot build: aws-chunked bodies
 * (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER) with
 * their chunk and trailer signatures, and header-signed requests at a chosen clock time.
 * Written from the AWS documentation with node:crypto alone, so the tests never share
 * signing code with the server they check.
 *
 *   <hex size>;chunk-signature=<sig>\r\n<data>\r\n … 0;chunk-signature=<sig>\r\n
 *   [x-amz-checksum-crc32:<b64>\r\n x-amz-trailer-signature:<sig>\r\n] \r\n
 *
 * Chunk signature: HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD\n<date>\n<scope>\n<previous>\n
 * <sha256 of empty>\n<sha256 of chunk>"), the chain seeded by the request signature.
 * Trailer signature: HMAC(kSigning, "AWS4-HMAC-SHA256-TRAILER\n<date>\n<scope>\n<previous>\n
 * <sha256 of 'name:value\n'…>").
 */
import { createHash, createHmac } from "node:crypto";
import { crc32 } from "node:zlib";

export interface KeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

export type StreamingMode = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" | "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER" | "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

export interface ChunkedPut {
  /** full URL, its path already percent-encoded as it will be sent and signed */
  url: string;
  key: KeyPair;
  data: Uint8Array;
  mode: StreamingMode;
  /** decoded bytes per chunk (the last one may be shorter) */
  chunkSize?: number;
  /** one trailing header, e.g. ["x-amz-checksum-crc32", crc32Base64(data)] */
  trailer?: [name: string, value: string];
  /** breaks the signature of chunk `index` (0-based; the final empty chunk counts) */
  badChunkSignature?: number;
  /** breaks the trailer signature */
  badTrailerSignature?: boolean;
  region?: string;
}

export interface HandMadeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
}

const EMPTY_SHA256 = sha256Hex("");

export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

export function md5Hex(data: string | Uint8Array): string {
  return createHash("md5").update(data).digest("hex");
}

/** x-amz-checksum-crc32's value: the big-endian CRC32, base64. */
export function crc32Base64(data: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data) >>> 0);
  return out.toString("base64");
}

/** `20130524T000000Z` */
export function amzDate(at: Date): string {
  return at.toISOString().replace(/[-:]|\.\d{3}/g, "");
}

function signingKey(secret: string, date: string, region: string): Buffer {
  const kDate = createHmac("sha256", `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac("sha256", kDate).update(region).digest();
  const kService = createHmac("sha256", kRegion).update("s3").digest();
  return createHmac("sha256", kService).update("aws4_request").digest();
}

function hmacHex(key: Buffer, data: string): string {
  return createHmac("sha256", key).update(data).digest("hex");
}

export interface HeaderSignature {
  headers: Record<string, string>;
  signature: string;
  signingKey: Buffer;
  amzDate: string;
  scope: string;
}

/**
 * Signs a request in the Authorization header. `headers` must hold x-amz-content-sha256;
 * every header given is signed, with host and x-amz-date added. The URL's path and query
 * are signed as they are written (the query sorted), as S3 expects from a client.
 */
export function signHeaders(method: string, url: string, headers: Record<string, string>, key: KeyPair, at = new Date(), region = "us-east-1"): HeaderSignature {
  const parsed = new URL(url);
  const date = amzDate(at);
  const all: Record<string, string> = { ...lowerCased(headers), host: parsed.host, "x-amz-date": date };
  const names = Object.keys(all).sort();
  const canonical = [method, rawPathOf(url), canonicalQueryOf(url), names.map((n) => `${n}:${all[n]!.trim()}\n`).join(""), names.join(";"), all["x-amz-content-sha256"] ?? EMPTY_SHA256].join("\n");
  const scope = `${date.slice(0, 8)}/${region}/s3/aws4_request`;
  const kSigning = signingKey(key.secretAccessKey, date.slice(0, 8), region);
  const signature = hmacHex(kSigning, `AWS4-HMAC-SHA256\n${date}\n${scope}\n${sha256Hex(canonical)}`);
  all.authorization = `AWS4-HMAC-SHA256 Credential=${key.accessKeyId}/${scope}, SignedHeaders=${names.join(";")}, Signature=${signature}`;
  delete all.host;
  return { headers: all, signature, signingKey: kSigning, amzDate: date, scope };
}

/** A PUT with an aws-chunked body, signed (or not) chunk by chunk. */
export function chunkedPut(options: ChunkedPut): HandMadeRequest {
  const { url, key, data, mode, trailer } = options;
  const headers: Record<string, string> = {
    "content-encoding": "aws-chunked",
    "x-amz-content-sha256": mode,
    "x-amz-decoded-content-length": String(data.byteLength),
  };
  if (trailer) headers["x-amz-trailer"] = trailer[0];
  const signed = signHeaders("PUT", url, headers, key, new Date(), options.region);
  const chunkSigned = mode !== "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
  const parts: Buffer[] = [];
  let previous = signed.signature;
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const pieces: Uint8Array[] = [];
  for (let offset = 0; offset < data.byteLength; offset += chunkSize) pieces.push(data.subarray(offset, offset + chunkSize));
  pieces.push(new Uint8Array(0));
  pieces.forEach((piece, index) => {
    let header = piece.byteLength.toString(16);
    if (chunkSigned) {
      const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signed.amzDate}\n${signed.scope}\n${previous}\n${EMPTY_SHA256}\n${sha256Hex(piece)}`;
      previous = hmacHex(signed.signingKey, toSign);
      header += `;chunk-signature=${index === options.badChunkSignature ? flip(previous) : previous}`;
    }
    parts.push(Buffer.from(`${header}\r\n`), Buffer.from(piece));
    if (piece.byteLength > 0) parts.push(Buffer.from("\r\n"));
  });
  if (trailer) {
    const line = `${trailer[0]}:${trailer[1]}\n`;
    parts.push(Buffer.from(`${trailer[0]}:${trailer[1]}\r\n`));
    if (chunkSigned) {
      const toSign = `AWS4-HMAC-SHA256-TRAILER\n${signed.amzDate}\n${signed.scope}\n${previous}\n${sha256Hex(line)}`;
      const signature = hmacHex(signed.signingKey, toSign);
      parts.push(Buffer.from(`x-amz-trailer-signature:${options.badTrailerSignature ? flip(signature) : signature}\r\n`));
    }
  }
  parts.push(Buffer.from("\r\n"));
  return { url, method: "PUT", headers: signed.headers, body: Buffer.concat(parts) };
}

/** Sends a hand-made request with fetch. */
export function send(request: HandMadeRequest): Promise<Response> {
  return fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
}

/** The same signature with its last hex digit changed. */
export function flip(signature: string): string {
  return signature.slice(0, -1) + (signature.endsWith("0") ? "1" : "0");
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([n, v]) => [n.toLowerCase(), v]));
}

function rawPathOf(url: string): string {
  const afterScheme = url.indexOf("//") + 2;
  const pathStart = url.indexOf("/", afterScheme);
  const queryStart = url.indexOf("?", pathStart);
  return queryStart < 0 ? url.slice(pathStart) : url.slice(pathStart, queryStart);
}

function canonicalQueryOf(url: string): string {
  const queryStart = url.indexOf("?");
  if (queryStart < 0) return "";
  const encode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return url
    .slice(queryStart + 1)
    .split("&")
    .filter(Boolean)
    .map((pair) => {
      const eq = pair.indexOf("=");
      const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? "" : decodeURIComponent(pair.slice(eq + 1));
      return [encode(name), encode(value)] as const;
    })
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join("&");
}
