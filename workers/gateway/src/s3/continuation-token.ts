/**
 * Continuation tokens (ListObjectsV2, ListBuckets) are opaque to clients: the position to
 * continue after, behind a short digest, base64url-encoded. S3 answers InvalidArgument for
 * a token it did not issue; the digest lets MockS3 do the same instead of reading any
 * base64 string (`Zm9v`, or an empty token) as a position.
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { S3Error } from "../../../../shared/s3-errors";

const DIGEST_BYTES = 6;

export function encodeToken(after: string): string {
  const position = Buffer.from(after, "utf8");
  return Buffer.concat([digestOf(position), position]).toString("base64url");
}

export function decodeToken(token: string): string {
  const bytes = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, "base64url") : Buffer.alloc(0);
  const position = bytes.subarray(DIGEST_BYTES);
  if (bytes.byteLength < DIGEST_BYTES || !digestOf(position).equals(bytes.subarray(0, DIGEST_BYTES))) throw invalidToken();
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(position);
  } catch {
    throw invalidToken();
  }
}

function digestOf(position: Uint8Array): Buffer {
  return createHash("sha256").update("mocks3 continuation\n").update(position).digest().subarray(0, DIGEST_BYTES);
}

function invalidToken(): S3Error {
  return new S3Error("InvalidArgument", "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });
}
