/**
 * What a request claims about its body, read from its headers before the body is: its
 * length, Content-MD5, the SHA-256 it was signed with, and at most one flexible checksum,
 * given as a header or announced for the trailer of an aws-chunked body. Malformed claims
 * fail here, before a byte is stored.
 */
import type { ChecksumAlgorithm } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import type { Payload } from "../auth/authenticate";
import { CHECKSUM_ALGORITHMS, CHECKSUM_BYTES, checksumAlgorithmOf, checksumHeader, fromBase64 } from "./checksums";

export interface BodyExpectations {
  /** decoded length, when the client stated it */
  length?: number;
  contentMd5?: Uint8Array;
  sha256?: string;
  /** the flexible checksum to compute; `value` is absent until a trailer brings it */
  checksum?: { algorithm: ChecksumAlgorithm; value?: string; fromTrailer: boolean };
}

export function expectationsOf(headers: Headers, payload: Payload): BodyExpectations {
  const expect: BodyExpectations = {};
  const length = payload.mode === "chunks" ? headers.get("x-amz-decoded-content-length") : headers.get("content-length");
  if (length !== null) {
    const n = Number(length);
    if (!/^\d+$/.test(length) || !Number.isSafeInteger(n)) throw new S3Error("InvalidArgument", `Invalid length: ${length}`);
    expect.length = n;
  }
  const md5 = headers.get("content-md5");
  if (md5 !== null) {
    expect.contentMd5 = fromBase64(md5.trim(), 16);
    if (!expect.contentMd5) throw new S3Error("InvalidDigest");
  }
  if (payload.mode === "sha256") expect.sha256 = payload.expected;
  expect.checksum = checksumClaim(headers, payload);
  return expect;
}

function checksumClaim(headers: Headers, payload: Payload): BodyExpectations["checksum"] {
  const present = CHECKSUM_ALGORITHMS.filter((a) => headers.has(checksumHeader(a)));
  if (present.length > 1) throw new S3Error("InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  const sdkAlgorithm = headers.get("x-amz-sdk-checksum-algorithm");
  const named = sdkAlgorithm ? checksumAlgorithmOf(sdkAlgorithm) : undefined;
  if (sdkAlgorithm && !named) throw new S3Error("InvalidRequest", `Value for x-amz-sdk-checksum-algorithm header is invalid: ${sdkAlgorithm}`);

  const trailer = headers.get("x-amz-trailer");
  if (trailer) {
    if (payload.mode !== "chunks" || !payload.trailer) throw new S3Error("InvalidRequest", "x-amz-trailer needs an aws-chunked body with a trailer.");
    const algorithm = checksumAlgorithmOf(trailer.trim().replace(/^x-amz-checksum-/i, ""));
    if (!algorithm) throw new S3Error("InvalidRequest", `The value specified in the x-amz-trailer header is not supported: ${trailer}`);
    return { algorithm, fromTrailer: true };
  }
  const algorithm = present[0];
  if (algorithm) {
    const value = headers.get(checksumHeader(algorithm))!.trim();
    if (!fromBase64(value, CHECKSUM_BYTES[algorithm])) throw new S3Error("InvalidRequest", `Value for ${checksumHeader(algorithm)} header is invalid.`);
    if (named && named !== algorithm) throw new S3Error("InvalidRequest", "x-amz-sdk-checksum-algorithm does not match the x-amz-checksum header sent.");
    return { algorithm, value, fromTrailer: false };
  }
  return named ? { algorithm: named, fromTrailer: false } : undefined;
}
