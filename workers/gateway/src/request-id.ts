/**
 * S3-style request ids: 16 upper-case hex digits. A random prefix per isolate (drawn on the
 * first request: workerd allows no randomness at global scope) and a counter keep them
 * unique without drawing random bytes on every request.
 */
let prefix: string | undefined;
let counter = 0;

export function newRequestId(): string {
  prefix ??= Array.from(crypto.getRandomValues(new Uint8Array(3)), (b) => b.toString(16).padStart(2, "0")).join("");
  counter = (counter + 1) % 0x10000000000;
  return (prefix + counter.toString(16).padStart(10, "0")).toUpperCase();
}
