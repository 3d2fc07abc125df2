/**
 * GetObject and HeadObject: conditions, ranges, the stored headers and `response-*`
 * overrides, and the bytes — read with the metadata for a small (inline) object, one value
 * from storage-service for a small range, a stream for a large one, so a large object is
 * never held in memory.
 */
import type { BlobRef, ObjectRecord } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { checkConditions, readConditions } from "../s3/conditions";
import { objectHeaders } from "../s3/object-headers";
import { parseRange } from "../s3/range";

/** Ranges up to this size come back from storage in one call. */
const SINGLE_READ_LIMIT = 1024 * 1024;

export function getObject(ctx: S3Context): Promise<S3Result> {
  return serveObject(ctx, true);
}

export function headObject(ctx: S3Context): Promise<S3Result> {
  return serveObject(ctx, false);
}

async function serveObject(ctx: S3Context, withBody: boolean): Promise<S3Result> {
  const headers = ctx.request.headers;
  const record = unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, withBody));
  checkConditions(record, readConditions(headers), true);
  const range = parseRange(headers.get("range"), record.size);
  const withChecksum = headers.get("x-amz-checksum-mode")?.toUpperCase() === "ENABLED" && !range;
  const answer = objectHeaders(record, ctx.target.query, withChecksum);
  const start = range?.start ?? 0;
  const end = range?.end ?? record.size;
  answer["content-length"] = String(end - start);
  if (range) answer["content-range"] = `bytes ${start}-${end - 1}/${record.size}`;
  return {
    status: range ? 206 : 200,
    headers: answer,
    body: withBody ? await readBytes(ctx, record, start, end) : null,
  };
}

async function readBytes(ctx: S3Context, record: ObjectRecord, start: number, end: number): Promise<Uint8Array | ReadableStream<Uint8Array>> {
  if (record.data) return record.data.subarray(start, end);
  if (end <= start || !record.blob) return new Uint8Array(0);
  const blob: BlobRef = record.blob;
  if (end - start <= SINGLE_READ_LIMIT) return ctx.env.STORAGE.read(blob, start, end);
  const stream = await ctx.env.STORAGE.stream(blob, start, end);
  // A FixedLengthStream makes workerd send Content-Length rather than chunked encoding.
  const { readable, writable } = new FixedLengthStream(end - start);
  ctx.waitUntil(stream.pipeTo(writable).catch(() => undefined));
  return readable;
}
