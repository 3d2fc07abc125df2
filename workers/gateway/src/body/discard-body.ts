/**
 * Reads and drops what is left of a request body before an error is answered. workerd
 * resets a connection whose request body was not read, and the reset can overtake the
 * answer: the client then sees a dropped connection instead of the S3 error. Bodies beyond
 * DRAIN_LIMIT are not worth reading; those get the reset.
 */
import { blocksOf } from "./byte-reader";

const DRAIN_LIMIT = 64 * 1024 * 1024;

/** A body nobody has started reading (an error answered before its handler read it). */
export async function discardUnreadBody(request: Request): Promise<void> {
  if (!request.body || request.bodyUsed) return;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > DRAIN_LIMIT) return;
  await discardRest(blocksOf(request.body));
}

/** The rest of a body being read piece by piece (ingest.ts, when a write is refused midway). */
export async function discardRest(pieces: AsyncIterator<Uint8Array>): Promise<void> {
  let read = 0;
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
      read += next.value.byteLength;
      if (read > DRAIN_LIMIT) return;
    }
  } catch {
    // the client went away: nothing left to protect
  }
}
