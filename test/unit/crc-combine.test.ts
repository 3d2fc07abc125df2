/**
 * CRC combination (the FULL_OBJECT checksum of a multipart object): the combined CRC of the
 * parts must equal the CRC computed over all the bytes at once, by an implementation that
 * shares no code with the gateway (test/helpers/crc.ts, node:zlib).
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { combineCrcs, CrcField, type CrcAlgorithm } from "../../workers/gateway/src/body/crc-combine";
import { crc32cOf, crc64nvmeOf, digestOf } from "../helpers/crc";

const ALGORITHMS: CrcAlgorithm[] = ["CRC32", "CRC32C", "CRC64NVME"];

/** Splits `data` at the given sizes (the last part takes the rest). */
function split(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const size of sizes) {
    parts.push(data.subarray(offset, offset + size));
    offset += size;
  }
  parts.push(data.subarray(offset));
  return parts;
}

function combined(algorithm: CrcAlgorithm, parts: Uint8Array[]): string {
  return Buffer.from(
    combineCrcs(
      algorithm,
      parts.map((p) => ({ crc: digestOf(algorithm, p), size: p.byteLength })),
    ),
  ).toString("hex");
}

describe("CRC combination", () => {
  it("reference CRCs › match the catalogue check values", () => {
    const check = Buffer.from("123456789");
    expect(digestOf("CRC32", check).toString("hex")).toBe("cbf43926");
    expect(crc32cOf(check).toString(16)).toBe("e3069283");
    expect(crc64nvmeOf(check).toString(16)).toBe("ae8b14860a799888");
  });

  it.each(ALGORITHMS)("%s › two parts combine into the CRC of their concatenation", (algorithm) => {
    const data = Buffer.from("123456789");
    for (let at = 0; at <= data.byteLength; at++) {
      expect(combined(algorithm, split(data, [at])), `split at ${at}`).toBe(digestOf(algorithm, data).toString("hex"));
    }
  });

  it.each(ALGORITHMS)("%s › many parts of random sizes, empty ones included", (algorithm) => {
    for (let round = 0; round < 20; round++) {
      const data = randomBytes(1 + Math.floor(Math.random() * 5000));
      const sizes = Array.from({ length: 1 + Math.floor(Math.random() * 8) }, () => (Math.random() < 0.2 ? 0 : Math.floor(Math.random() * 700)));
      const parts = split(data, sizes);
      expect(combined(algorithm, parts), `sizes ${sizes.join(",")}`).toBe(digestOf(algorithm, data).toString("hex"));
    }
  });

  it.each(ALGORITHMS)("%s › parts of one size, as multipart uploads have them (the shift is reused)", (algorithm) => {
    const data = randomBytes(64 * 1024 + 123);
    const parts = split(
      data,
      Array.from({ length: 16 }, () => 4096),
    );
    expect(combined(algorithm, parts)).toBe(digestOf(algorithm, data).toString("hex"));
  });

  it("CRC32 › shifts past lengths far beyond memory agree with repeated squaring", () => {
    // x^(8·2^40) computed two ways: the table, and squaring x^(8·2^20)
    const field = new CrcField("CRC32");
    const mib = field.shiftOf(2 ** 20);
    expect(field.shiftOf(2 ** 40)).toBe(field.multiply(field.shiftOf(2 ** 39), field.shiftOf(2 ** 39)));
    expect(field.shiftOf(2 ** 21)).toBe(field.multiply(mib, mib));
    expect(field.shiftOf(5 * 2 ** 40 + 7)).toBe(field.multiply(field.shiftOf(5 * 2 ** 40), field.shiftOf(7)));
  });

  it.each(ALGORITHMS)("%s › no parts, or only empty ones, is the CRC of nothing", (algorithm) => {
    const zero = digestOf(algorithm, new Uint8Array(0)).toString("hex");
    expect(combined(algorithm, [])).toBe(zero);
    expect(combined(algorithm, [new Uint8Array(0), new Uint8Array(0)])).toBe(zero);
  });
});
