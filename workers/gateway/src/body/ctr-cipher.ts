/**
 * AES-256-CTR for SSE-C objects (WebCrypto), one keystream per part of an object. The
 * counter block is `nonce (8 bytes) | part (4) | block index (4)`: the nonce is random per
 * object or multipart upload (recorded with it, shared/records.ts CustomerKeyUse); `part` is 0
 * for a single PUT and, for a multipart part, a value drawn afresh at each upload of the part
 * (recorded with it), so that no two bodies ever share a keystream; the block index counts
 * 16-byte blocks from the part's start. Any byte range of any part can so be decrypted on its
 * own — a Range GET, a part of a multipart object, a piece of a stream — and encrypting and
 * decrypting are one operation. A part holds at most 5 GiB, well under the 2^32 blocks
 * (64 GiB) a 32-bit counter allows.
 *
 * Real S3 does not say how it encrypts SSE-C bytes; only the key's handling is visible
 * (its MD5 echoed, the key itself never stored).
 */
import { toBase64 } from "./checksums";

export const NONCE_BYTES = 8;
const BLOCK = 16;

/** An imported AES key (named so, as the workers' and Node's type libraries differ). */
type AesKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

/** Encrypts (or decrypts) the next piece of a body, each piece following the one before. */
export type PieceCipher = (piece: Uint8Array) => Promise<Uint8Array>;

export class CtrCipher {
  private constructor(
    /** imported once, awaited by each use: making a cipher costs a write nothing until its first bytes */
    private readonly key: Promise<AesKey>,
    private readonly nonce: Uint8Array,
  ) {}

  /** The cipher of `key` (32 bytes) and a nonce of NONCE_BYTES. */
  static of(key: Uint8Array, nonce: Uint8Array): CtrCipher {
    if (nonce.byteLength !== NONCE_BYTES) throw new Error(`an SSE-C nonce has ${NONCE_BYTES} bytes`);
    const imported = crypto.subtle.importKey("raw", key, "AES-CTR", false, ["encrypt"]);
    imported.catch(() => undefined); // a cipher never used (a write refused first) is no unhandled rejection; a use still sees it
    return new CtrCipher(imported, nonce);
  }

  /** Bytes at `offset` of part `part`, encrypted or decrypted (the same in CTR mode). */
  async apply(part: number, offset: number, bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.byteLength === 0) return bytes;
    // a range that starts inside a block: pad to the block's start, and drop the padding after
    const skip = offset % BLOCK;
    let input = bytes;
    if (skip > 0) {
      input = new Uint8Array(skip + bytes.byteLength);
      input.set(bytes, skip);
    }
    const counter = this.counter(part, (offset - skip) / BLOCK);
    const output = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-CTR", counter, length: 32 }, await this.key, input));
    return skip > 0 ? output.subarray(skip) : output;
  }

  /** For a body read from offset `offset` of part `part` on, piece by piece. */
  sequence(part: number, offset = 0): PieceCipher {
    let position = offset;
    return (piece) => {
      const at = position;
      position += piece.byteLength;
      return this.apply(part, at, piece);
    };
  }

  private counter(part: number, block: number): Uint8Array {
    const counter = new Uint8Array(BLOCK);
    counter.set(this.nonce);
    const view = new DataView(counter.buffer);
    view.setUint32(NONCE_BYTES, part);
    view.setUint32(NONCE_BYTES + 4, block);
    return counter;
  }
}

/** A new random nonce, base64 as it is recorded. */
export function newNonce(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(NONCE_BYTES)));
}
