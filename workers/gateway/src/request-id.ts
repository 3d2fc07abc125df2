/** S3-style request ids: 16 upper-case hex digits. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let id = "";
  for (const b of bytes) id += b.toString(16).padStart(2, "0");
  return id.toUpperCase();
}
