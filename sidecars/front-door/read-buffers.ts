/**
 * The front door's read buffers (READ_BYTES each), shared by every connection and both
 * directions. A socket reads into one (net's `onread`); a small read is copied out and the
 * buffer read into again, a large one is written on as it is and its buffer comes back here
 * once the last write holding it is done. A fresh buffer per large read cost more than the
 * copying it saves: new memory the kernel maps in page by page (a 256 MiB PUT relayed in
 * 64 KiB 'data' events took 0.3–0.5 s of CPU, read into kept 1 MiB buffers 0.13 s).
 */

/** the most one read takes in (libuv's own reads are 64 KiB) */
export const READ_BYTES = 1024 * 1024;
/** reads up to this size are copied out of the read buffer, which is then used again */
export const COPY_BYTES = 64 * 1024;
/** buffers kept for the next large reads, whichever connection makes them */
const KEPT = 8;

const kept: Buffer[] = [];

export function takeReadBuffer(): Buffer {
  return kept.pop() ?? Buffer.allocUnsafe(READ_BYTES);
}

/** Gives a buffer back once nothing holds it (its last write has called back). */
export function giveReadBuffer(buffer: Buffer): void {
  if (kept.length < KEPT && !kept.includes(buffer)) kept.push(buffer);
}

/**
 * What a socket's `onread` hands on: `bytes` of `buffer`, copied when few (the buffer is read
 * into again at once), else as they are, with `done` to call when no write holds them any more
 * (the socket reads into another buffer meanwhile). Returns the buffer for the next read.
 */
export function handOn(bytes: number, buffer: Buffer, use: (chunk: Buffer, done?: () => void) => void): Buffer {
  if (bytes <= COPY_BYTES) {
    use(Buffer.from(buffer.subarray(0, bytes)));
    return buffer;
  }
  use(buffer.subarray(0, bytes), () => giveReadBuffer(buffer));
  return takeReadBuffer();
}
