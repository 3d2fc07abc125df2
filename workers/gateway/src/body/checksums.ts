/**
 * The integrity checks S3 computes over a body: MD5 (the ETag and Content-MD5), SHA-256
 * (x-amz-content-sha256) and the flexible checksums `x-amz-checksum-{crc32,crc32c,sha1,
 * sha256,crc64nvme}`, all updated piece by piece as the body streams. MD5, SHA and CRC32
 * are native (node:crypto, node:zlib in workerd); CRC32C and CRC64NVME come from
 * @aws-sdk/checksums, the SDK's own implementations.
 */
import { Crc32c, Crc64Nvme } from "@aws-sdk/checksums/crc";
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";
import { crc32 } from "node:zlib";
import type { ChecksumAlgorithm } from "../../../../shared/records";

export interface Digest {
  update(bytes: Uint8Array): void;
  /** the raw digest bytes */
  digest(): Uint8Array | Promise<Uint8Array>;
}

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"];

export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

export function checksumAlgorithmOf(name: string): ChecksumAlgorithm | undefined {
  const upper = name.toUpperCase();
  return CHECKSUM_ALGORITHMS.find((a) => a === upper);
}

/** Digest sizes in bytes, to validate a claimed value before reading the body. */
export const CHECKSUM_BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32 };

export function newDigest(algorithm: ChecksumAlgorithm | "MD5"): Digest {
  switch (algorithm) {
    case "MD5":
    case "SHA1":
    case "SHA256": {
      const hash = createHash(algorithm === "MD5" ? "md5" : algorithm === "SHA1" ? "sha1" : "sha256");
      return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest() };
    }
    case "CRC32": {
      let value = 0;
      return { update: (bytes) => void (value = crc32(bytes, value)), digest: () => uint32(value) };
    }
    case "CRC32C":
    case "CRC64NVME": {
      const crc = algorithm === "CRC32C" ? new Crc32c() : new Crc64Nvme();
      return { update: (bytes) => crc.update(bytes), digest: () => crc.digest() };
    }
  }
}

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Strict base64 of exactly `length` bytes, or undefined. */
export function fromBase64(value: string, length: number): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(value, "base64");
  return bytes.byteLength === length ? bytes : undefined;
}
