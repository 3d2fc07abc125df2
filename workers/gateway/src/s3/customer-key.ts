/**
 * SSE-C on the S3 side: `x-amz-server-side-encryption-customer-{algorithm,key,key-MD5}` on a
 * write or a read (and `x-amz-copy-source-server-side-encryption-customer-*` for a copy's
 * source), checked as S3 checks them, and whether a request's key opens a stored object.
 *
 * As on S3: the algorithm must be AES256 (InvalidEncryptionAlgorithmError), the key base64 of
 * 32 bytes and its MD5 the one sent (InvalidArgument), a partial set names what is missing
 * (InvalidArgument); SSE-C with `x-amz-server-side-encryption` is InvalidArgument. Reading an
 * SSE-C object without its key is 400 InvalidRequest, with another key 403 AccessDenied;
 * SSE-C headers on an object stored without them are 400 InvalidRequest. A multipart
 * upload's parts must bring the key it was created with. Answers echo the algorithm and the
 * key's MD5, never `x-amz-server-side-encryption` (encryption.ts). Only the key's MD5 is kept;
 * the bytes are stored encrypted with the key (body/ctr-cipher.ts). Unlike S3, which refuses
 * SSE-C over plain HTTP, MockS3 takes it on either.
 */
import { createHash } from "node:crypto";
import type { CustomerKeyUse, ServerSideEncryption } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { fromBase64 } from "../body/checksums";
import { CtrCipher, NONCE_BYTES, newNonce, type PieceCipher } from "../body/ctr-cipher";
import { encryptionFromHeaders } from "./encryption";

const HEADERS = "x-amz-server-side-encryption-customer-";
export const COPY_SOURCE_HEADERS = "x-amz-copy-source-server-side-encryption-customer-";
const KEY_BYTES = 32;

/** A key a request brought, checked; it lives as long as the request. */
export interface CustomerKey {
  bytes: Uint8Array;
  /** base64, as sent and as recorded */
  keyMd5: string;
}

/** A write's encryption: what it records and, for SSE-C, how its bytes are encrypted. */
export interface WriteEncryption {
  encryption?: ServerSideEncryption;
  /** SSE-C only */
  cipher?: CtrCipher;
}

/** The key named by the headers starting with `prefix`; undefined when none is sent. */
export function customerKeyFrom(headers: Headers, prefix = HEADERS): CustomerKey | undefined {
  const algorithm = headers.get(`${prefix}algorithm`);
  const key = headers.get(`${prefix}key`);
  const md5 = headers.get(`${prefix}key-md5`);
  if (algorithm === null && key === null && md5 === null) return undefined;
  if (algorithm === null) throw missing(`${prefix}algorithm`, "must provide a valid encryption algorithm");
  if (algorithm.trim() !== "AES256") throw new S3Error("InvalidEncryptionAlgorithmError", undefined, { ArgumentName: `${prefix}algorithm`, ArgumentValue: algorithm });
  if (key === null) throw missing(`${prefix}key`, "must provide an appropriate secret key");
  if (md5 === null) throw missing(`${prefix}key-MD5`, "must provide the client calculated MD5 of the secret key");
  const bytes = fromBase64(key.trim(), KEY_BYTES);
  if (!bytes) throw new S3Error("InvalidArgument", "The secret key was invalid for the specified algorithm.", { ArgumentName: `${prefix}key` });
  const keyMd5 = createHash("md5").update(bytes).digest("base64");
  if (md5.trim() !== keyMd5) throw new S3Error("InvalidArgument", "The calculated MD5 hash of the key did not match the hash that was provided.", { ArgumentName: `${prefix}key-MD5` });
  return { bytes, keyMd5 };
}

function missing(header: string, what: string): S3Error {
  return new S3Error("InvalidArgument", `Requests specifying Server Side Encryption with Customer provided keys ${what}.`, { ArgumentName: header });
}

/**
 * A write's encryption: SSE-C (a fresh nonce recorded with the key's MD5), else its own
 * `x-amz-server-side-encryption` (encryption.ts), else none (the bucket's default applies).
 */
export function writeEncryptionOf(headers: Headers): WriteEncryption {
  const key = customerKeyFrom(headers);
  if (!key) {
    const encryption = encryptionFromHeaders(headers);
    return encryption ? { encryption } : {};
  }
  const asked = headers.get("x-amz-server-side-encryption");
  if (asked !== null) {
    throw new S3Error("InvalidArgument", "Server Side Encryption with Customer provided key is incompatible with the encryption method specified", {
      ArgumentName: "x-amz-server-side-encryption",
      ArgumentValue: asked,
    });
  }
  const customer: CustomerKeyUse = { keyMd5: key.keyMd5, nonce: newNonce() };
  return { encryption: { algorithm: "AES256", customer }, cipher: cipherOf(key, customer) };
}

/**
 * The key a read of a version stored with `stored` must bring (headers from `prefix`):
 * none for an object without SSE-C, else its own.
 */
export function keyForRead(stored: ServerSideEncryption | undefined, headers: Headers, prefix = HEADERS): CustomerKey | undefined {
  const given = customerKeyFrom(headers, prefix);
  const use = stored?.customer;
  if (!use) {
    if (given) throw new S3Error("InvalidRequest", "The encryption parameters are not applicable to this object.");
    return undefined;
  }
  if (!given) throw new S3Error("InvalidRequest", "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.");
  if (given.keyMd5 !== use.keyMd5) throw new S3Error("AccessDenied");
  return given;
}

/**
 * How a part of an upload created with `upload` is stored: under the upload's key, with a
 * counter value drawn for this upload of the part (recorded with it, so that a part uploaded
 * again never reuses a keystream), or as it is.
 */
export function partCipher(upload: ServerSideEncryption | undefined, headers: Headers): { encrypt: PieceCipher; cipherPart: number } | undefined {
  const given = customerKeyFrom(headers);
  const use = upload?.customer;
  if (!use && !given) return undefined;
  if (!given) throw new S3Error("InvalidRequest", "The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.");
  if (!use || given.keyMd5 !== use.keyMd5) throw new S3Error("InvalidArgument", "The provided encryption parameters did not match the ones used originally.");
  const cipherPart = crypto.getRandomValues(new Uint32Array(1))[0]!;
  return { encrypt: cipherOf(given, use).sequence(cipherPart), cipherPart };
}

/** The cipher of an object or upload recorded with `use`, opened with `key`. */
export function cipherOf(key: CustomerKey, use: CustomerKeyUse): CtrCipher {
  const nonce = fromBase64(use.nonce, NONCE_BYTES);
  if (!nonce) throw new S3Error("InternalError", "An SSE-C object's recorded nonce is not valid.");
  return CtrCipher.of(key.bytes, nonce);
}

/** The counter value each blob of an object was encrypted under (0: a single PUT's). */
export function partNumberOfBlob(use: CustomerKeyUse, index: number): number {
  return use.parts?.[index] ?? 0;
}
