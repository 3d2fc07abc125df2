/**
 * GetObject and HeadObject: the version asked for (the latest by default), conditions,
 * ranges (and `partNumber`, a part of a multipart object), the stored headers and
 * `response-*` overrides, and the bytes. A key the bucket lacks may be read through from
 * the bucket's upstream S3 source (read-through.ts). An SSE-C object is read only with its
 * key (s3/customer-key.ts), checked before the conditions, and decrypted as it is sent.
 */
import type { ObjectRecord } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { checkConditions, readConditions } from "../s3/conditions";
import { keyForRead } from "../s3/customer-key";
import { plainBytes } from "../s3/plain-bytes";
import { objectHeaders } from "../s3/object-headers";
import { assertReadable } from "../s3/storage-class";
import { parseRange, type ByteRange } from "../s3/range";
import { versionIdOf } from "../s3/version-id";
import { isReadThroughMiss, readThrough } from "./read-through";

export function getObject(ctx: S3Context): Promise<S3Result> {
  return serveObject(ctx, true);
}

export function headObject(ctx: S3Context): Promise<S3Result> {
  return serveObject(ctx, false);
}

/** `upstream`: a miss of the latest version may be read through from the bucket's upstream. */
async function serveObject(ctx: S3Context, withBody: boolean, upstream = true): Promise<S3Result> {
  const headers = ctx.request.headers;
  const versionId = versionIdOf(ctx.target.query);
  const staleMs = ctx.consistency?.staleMs;
  const found = await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId, withData: withBody, ...(staleMs ? { staleMs } : {}) });
  if (upstream && versionId === undefined && isReadThroughMiss(found)) return readThrough(ctx, withBody, found, () => serveObject(ctx, withBody, false));
  const record = unwrap(found);
  const key = keyForRead(record.encryption, headers);
  checkConditions(record, readConditions(headers), true);
  if (withBody) assertReadable(record);
  const partNumber = ctx.target.query.get("partNumber");
  const range = partNumber === null ? parseRange(headers.get("range"), record.size) : partRange(record, partNumber);
  const withChecksum = headers.get("x-amz-checksum-mode")?.toUpperCase() === "ENABLED" && !range;
  const answer = objectHeaders(record, ctx.target.query, withChecksum);
  const start = range?.start ?? 0;
  const end = range?.end ?? record.size;
  answer["content-length"] = String(end - start);
  if (range) answer["content-range"] = `bytes ${start}-${end - 1}/${record.size}`;
  // as S3: a multipart object tells its part count only to a request for one of its parts
  if (partNumber !== null && record.partsCount) answer["x-amz-mp-parts-count"] = String(record.partsCount);
  return {
    status: range ? 206 : 200,
    headers: answer,
    body: withBody ? await plainBytes(ctx, record, start, end, key) : null,
  };
}

/** `partNumber=N`: the bytes of part N of a multipart object; part 1 of any other is all of it. */
function partRange(record: ObjectRecord, value: string): ByteRange | undefined {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 10_000) {
    throw new S3Error("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", { ArgumentName: "partNumber", ArgumentValue: value });
  }
  if (!record.partsCount) {
    if (n === 1) return undefined;
    throw new S3Error("InvalidPartNumber", undefined, { PartNumberRequested: n, ActualPartCount: 1 });
  }
  if (n > record.partsCount) throw new S3Error("InvalidPartNumber", undefined, { PartNumberRequested: n, ActualPartCount: record.partsCount });
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += record.blobs[i]!.size;
  return { start, end: start + record.blobs[n - 1]!.size };
}
