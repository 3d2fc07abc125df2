/**
 * The CRC of A‖B from crc(A), crc(B) and the length of B, without the bytes: how S3 forms
 * a multipart object's FULL_OBJECT checksum (CRC32, CRC32C, CRC64NVME) from its parts'.
 *
 * zlib's crc32_combine, for any reflected CRC whose initial value and final XOR are equal
 * (all ones for all three here). Over GF(2), with P the CRC's polynomial:
 *
 *   crc(A‖B) = crc(A) · x^(8·|B|)  +  crc(B)   (mod P)
 *
 * — shifting crc(A) by |B| bytes, the final XOR it carries turns into exactly the term the
 * initial value contributes to crc(B), so they cancel when the two are equal. Polynomials are
 * held reflected, as the CRC registers hold them: the top bit is x^0. x^(2^k) mod P is
 * tabled, so x^n costs one multiplication per set bit of n; `combineCrcs` also remembers x^n
 * per part length, and parts mostly share one length. BigInt keeps one code path for the
 * 32- and 64-bit CRCs; a combination is a few thousand BigInt steps per part.
 */
import type { ChecksumAlgorithm } from "../../../../shared/records";

export type CrcAlgorithm = Extract<ChecksumAlgorithm, "CRC32" | "CRC32C" | "CRC64NVME">;

/** Reflected polynomials (CRC-32, CRC-32C Castagnoli, CRC-64/NVME). */
const POLYNOMIALS: Record<CrcAlgorithm, { width: number; poly: bigint }> = {
  CRC32: { width: 32, poly: 0xedb88320n },
  CRC32C: { width: 32, poly: 0x82f63b78n },
  CRC64NVME: { width: 64, poly: 0x9a6c9329ac4bc9b5n },
};

/** x^(2^k) for k = 0 … TABLE_SIZE - 1: bit lengths up to 2^64, far beyond S3's 5 TiB. */
const TABLE_SIZE = 64;

export function isCrcAlgorithm(algorithm: ChecksumAlgorithm): algorithm is CrcAlgorithm {
  return algorithm in POLYNOMIALS;
}

/** GF(2) arithmetic modulo one CRC's polynomial, on reflected values. */
export class CrcField {
  readonly width: number;
  private readonly poly: bigint;
  private readonly one: bigint;
  /** x^(2^k) mod P */
  private readonly powers: bigint[] = [];

  constructor(algorithm: CrcAlgorithm) {
    const { width, poly } = POLYNOMIALS[algorithm];
    this.width = width;
    this.poly = poly;
    this.one = 1n << BigInt(width - 1);
    let power = this.one >> 1n; // x^1
    for (let k = 0; k < TABLE_SIZE; k++) {
      this.powers.push(power);
      power = this.multiply(power, power);
    }
  }

  /** a · b mod P. */
  multiply(a: bigint, b: bigint): bigint {
    let product = 0n;
    for (let bit = this.one; a !== 0n && bit !== 0n; bit >>= 1n) {
      if (a & bit) {
        product ^= b;
        a ^= bit;
      }
      b = b & 1n ? (b >> 1n) ^ this.poly : b >> 1n;
    }
    return product;
  }

  /** x^(8·bytes) mod P: the shift of a CRC past `bytes` more bytes. */
  shiftOf(bytes: number): bigint {
    let result = this.one;
    let n = BigInt(bytes);
    for (let k = 3; n > 0n; k++, n >>= 1n) {
      if (n & 1n) result = this.multiply(this.powers[k]!, result);
    }
    return result;
  }

  /** crc(A‖B) from crc(A), crc(B) and |B|. */
  combine(crcA: bigint, crcB: bigint, lengthB: number): bigint {
    return this.multiply(this.shiftOf(lengthB), crcA) ^ crcB;
  }
}

const fields = new Map<CrcAlgorithm, CrcField>();

function fieldOf(algorithm: CrcAlgorithm): CrcField {
  let field = fields.get(algorithm);
  if (!field) fields.set(algorithm, (field = new CrcField(algorithm)));
  return field;
}

/**
 * The CRC of the parts' bytes in order, from each part's CRC (big-endian bytes, as S3's
 * x-amz-checksum-* carry them) and size. The CRC of no bytes at all is 0.
 */
export function combineCrcs(algorithm: CrcAlgorithm, parts: ReadonlyArray<{ crc: Uint8Array; size: number }>): Uint8Array {
  const field = fieldOf(algorithm);
  const shifts = new Map<number, bigint>();
  let crc = 0n;
  for (const part of parts) {
    let shift = shifts.get(part.size);
    if (shift === undefined) shifts.set(part.size, (shift = field.shiftOf(part.size)));
    crc = field.multiply(shift, crc) ^ fromBytes(part.crc);
  }
  return toBytes(crc, field.width / 8);
}

function fromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function toBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--, value >>= 8n) out[i] = Number(value & 0xffn);
  return out;
}
