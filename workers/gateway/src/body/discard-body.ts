/**
 * Reads and drops what is left of a request body before an error is answered. workerd
 * resets a connection whose request body was not read, and the reset can overtake the
 * answer: the client then sees a dropped connection instead of the S3 error. Bodies beyond
 * DRAIN_LIMIT are not worth reading; those get the reset.
 */
import { blocksOf } from "./byte-reader";

export const DRAIN_LIMIT = 64 * 1024 * 1024;

export async function discardUnreadBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > DRAIN_LIMIT) return;
  let read = 0;
  try {
    for await (const block of blocksOf(request.body)) {
      read += block.byteLength;
      if (read > DRAIN_LIMIT) break;
    }
  } catch {
    // the client went away: nothing left to protect
  }
}
