/**
 * The `Range` header of a GET: `bytes=a-b`, `bytes=a-`, `bytes=-n`. Like S3, a header that
 * does not parse or asks for several ranges is ignored (the whole object is served); a range
 * that starts past the end is 416 InvalidRange.
 */
import { S3Error } from "../../../../shared/s3-errors";

/** Bytes `[start, end)` of the object. */
export interface ByteRange {
  start: number;
  end: number;
}

export function parseRange(header: string | null, size: number): ByteRange | undefined {
  if (header === null) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  const [first, last] = [m[1]!, m[2]!];
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw unsatisfiable(header, size);
    return { start: Math.max(size - suffix, 0), end: size };
  }
  const start = Number(first);
  const end = last === "" ? size : Number(last) + 1;
  if (last !== "" && end <= start) return undefined;
  if (start >= size) throw unsatisfiable(header, size);
  return { start, end: Math.min(end, size) };
}

function unsatisfiable(header: string, size: number): S3Error {
  return new S3Error("InvalidRange", undefined, { RangeRequested: header, ActualObjectSize: size }, { "content-range": `bytes */${size}` });
}
