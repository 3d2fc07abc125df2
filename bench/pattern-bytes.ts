/**
 * Deterministic object bytes, so the generator can check every byte it reads back without
 * keeping what it wrote. The stream is an endless sequence of 1 MiB blocks: one pseudo-random
 * base block (computed once), each copy stamped in its first 8 bytes with its block number so
 * that a server returning the wrong block, a shifted range or a repeated chunk is caught.
 *
 * Any byte range can be produced (`patternSlice`) or verified (`PatternVerifier`) piece by
 * piece, so a 256 MiB object costs 1 MiB of generator memory, and verifying is memcmp, not
 * hashing — cheaper for the generator than a SHA-256 of the stream.
 */
export const BLOCK_SIZE = 1024 * 1024;
const STAMP_SIZE = 8;

/** xorshift32 from a fixed seed: the same base block in every run. */
const BASE = (() => {
  const words = new Uint32Array(BLOCK_SIZE / 4);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return Buffer.from(words.buffer);
})();

function stampOf(block: number): Buffer {
  const stamp = Buffer.alloc(STAMP_SIZE);
  stamp.writeBigUInt64LE(BigInt(block));
  return stamp;
}

/** A fresh copy of block `index` (fresh, because the HTTP stack may still hold the last one). */
export function patternBlock(index: number, length = BLOCK_SIZE): Buffer {
  return patternSlice(index * BLOCK_SIZE, length);
}

/** The bytes `[start, start + length)` of the pattern stream. */
export function patternSlice(start: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const offset = start + done;
    const block = Math.floor(offset / BLOCK_SIZE);
    const within = offset % BLOCK_SIZE;
    const n = Math.min(length - done, BLOCK_SIZE - within);
    BASE.copy(out, done, within, within + n);
    if (within < STAMP_SIZE) stampOf(block).copy(out, done, within, Math.min(STAMP_SIZE, within + n));
    done += n;
  }
  return out;
}

/** Checks a body against the pattern stream from byte 0 as its pieces arrive. */
export class PatternVerifier {
  /** bytes seen so far */
  offset = 0;
  /** where the first differing stretch starts (within a block of the bad byte), if any */
  mismatchAt: number | undefined;

  update(piece: Buffer): void {
    if (this.mismatchAt !== undefined) {
      this.offset += piece.byteLength;
      return;
    }
    let done = 0;
    while (done < piece.byteLength) {
      const offset = this.offset + done;
      const block = Math.floor(offset / BLOCK_SIZE);
      const within = offset % BLOCK_SIZE;
      const n = Math.min(piece.byteLength - done, BLOCK_SIZE - within);
      const stampEnd = within < STAMP_SIZE ? Math.min(STAMP_SIZE, within + n) : within;
      const stampOk = stampEnd === within || stampOf(block).compare(piece, done, done + stampEnd - within, within, stampEnd) === 0;
      const restOk = BASE.compare(piece, done + stampEnd - within, done + n, stampEnd, within + n) === 0;
      if (!stampOk || !restOk) {
        this.mismatchAt = offset;
        break;
      }
      done += n;
    }
    this.offset += piece.byteLength;
  }
}
