/**
 * The flexible checksums computed the plain way, for tests to compare MockS3's answers with:
 * a table-driven reflected CRC written from the catalogue parameters (CRC-32 is node:zlib's),
 * sharing no code with the gateway.
 *
 *   CRC-32C     poly 0x1EDC6F41 (reflected 0x82F63B78), init/xorout all ones, check 0xE3069283
 *   CRC-64/NVME poly 0xAD93D23594C93659 (reflected 0x9A6C9329AC4BC9B5), check 0xAE8B14860A799888
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";

export type TestAlgorithm = "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256";

function reflectedTable(poly: bigint): bigint[] {
  return Array.from({ length: 256 }, (_, byte) => {
    let value = BigInt(byte);
    for (let bit = 0; bit < 8; bit++) value = value & 1n ? (value >> 1n) ^ poly : value >> 1n;
    return value;
  });
}

const CRC32C_TABLE = reflectedTable(0x82f63b78n).map(Number);
const CRC64_TABLE = reflectedTable(0x9a6c9329ac4bc9b5n);
/** The 64-bit table as 32-bit halves, so the loop runs on plain numbers. */
const CRC64_HI = CRC64_TABLE.map((v) => Number(v >> 32n));
const CRC64_LO = CRC64_TABLE.map((v) => Number(v & 0xffffffffn));

export function crc32cOf(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (crc >>> 8) ^ CRC32C_TABLE[(crc ^ byte) & 0xff]!;
  return (crc ^ 0xffffffff) >>> 0;
}

export function crc64nvmeOf(data: Uint8Array): bigint {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  for (const byte of data) {
    const index = (lo ^ byte) & 0xff;
    lo = ((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]!;
    hi = (hi >>> 8) ^ CRC64_HI[index]!;
  }
  return (BigInt((hi ^ 0xffffffff) >>> 0) << 32n) | BigInt((lo ^ 0xffffffff) >>> 0);
}

/** The raw digest bytes, big-endian for the CRCs, as S3 sends them in base64. */
export function digestOf(algorithm: TestAlgorithm, data: Uint8Array): Buffer {
  switch (algorithm) {
    case "CRC32":
      return uint(BigInt(crc32(data) >>> 0), 4);
    case "CRC32C":
      return uint(BigInt(crc32cOf(data)), 4);
    case "CRC64NVME":
      return uint(crc64nvmeOf(data), 8);
    case "SHA1":
      return createHash("sha1").update(data).digest();
    case "SHA256":
      return createHash("sha256").update(data).digest();
  }
}

export function checksumOf(algorithm: TestAlgorithm, data: Uint8Array): string {
  return digestOf(algorithm, data).toString("base64");
}

/** S3's COMPOSITE checksum: the checksum of the parts' raw checksums, then `-N`. */
export function compositeOf(algorithm: TestAlgorithm, parts: Uint8Array[]): string {
  return `${checksumOf(algorithm, Buffer.concat(parts.map((p) => digestOf(algorithm, p))))}-${parts.length}`;
}

function uint(value: bigint, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--, value >>= 8n) out[i] = Number(value & 0xffn);
  return out;
}
