/**
 * SSE-C's AES-256-CTR (workers/gateway/src/body/ctr-cipher.ts) against node:crypto's
 * aes-256-ctr, which shares no code with it: the counter block is nonce | part | block, any
 * range decrypts on its own (from inside a block too), and pieces in sequence give the same
 * bytes as the whole.
 */
import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CtrCipher, NONCE_BYTES } from "../../workers/gateway/src/body/ctr-cipher";

const key = randomBytes(32);
const nonce = randomBytes(NONCE_BYTES);

/** What node:crypto makes of part `part` from its start: counter block nonce | part | 0. */
function reference(part: number, plain: Uint8Array): Buffer {
  const iv = Buffer.alloc(16);
  nonce.copy(iv);
  iv.writeUInt32BE(part, NONCE_BYTES);
  return createCipheriv("aes-256-ctr", key, iv).update(plain);
}

describe("CtrCipher", () => {
  it("encrypts as AES-256-CTR from the counter nonce | part | 0, and decrypts with the same call", async () => {
    const cipher = CtrCipher.of(key, nonce);
    const plain = randomBytes(1000);
    for (const part of [0, 1, 7, 10_000]) {
      const sealed = await cipher.apply(part, 0, plain);
      expect(Buffer.from(sealed).equals(reference(part, plain))).toBe(true);
      expect(Buffer.from(await cipher.apply(part, 0, sealed)).equals(plain)).toBe(true);
    }
    // another part, another keystream
    expect(Buffer.from(await cipher.apply(1, 0, plain)).equals(Buffer.from(await cipher.apply(2, 0, plain)))).toBe(false);
  });

  it("decrypts any range on its own, aligned to a block or not", async () => {
    const cipher = CtrCipher.of(key, nonce);
    const plain = randomBytes(5000);
    const sealed = reference(3, plain);
    for (const [start, end] of [
      [0, 16],
      [5, 6],
      [15, 17],
      [16, 4096],
      [1234, 5000],
    ] as const) {
      expect(Buffer.from(await cipher.apply(3, start, sealed.subarray(start, end))).equals(plain.subarray(start, end))).toBe(true);
    }
  });

  it("encrypts a body piece by piece as it would whole", async () => {
    const cipher = CtrCipher.of(key, nonce);
    const plain = randomBytes(4099);
    const next = cipher.sequence(2);
    const pieces: Uint8Array[] = [];
    for (const [start, end] of [
      [0, 1],
      [1, 17],
      [17, 17],
      [17, 3000],
      [3000, 4099],
    ] as const)
      pieces.push(await next(plain.subarray(start, end)));
    expect(Buffer.concat(pieces).equals(reference(2, plain))).toBe(true);
  });
});
