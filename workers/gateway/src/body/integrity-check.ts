/**
 * S3 refuses some small XML requests (DeleteObjects, PutBucketCors) whose body carries no
 * integrity check. Content-MD5 counts, and so does any `x-amz-checksum-*` header, also one
 * of an algorithm MockS3 does not verify (the SDKs send CRC32 and no Content-MD5).
 */
import { S3Error } from "../../../../shared/s3-errors";
import type { S3Context } from "../s3/context";
import { expectationsOf } from "./expectations";

export function requireIntegrityCheck(ctx: S3Context): void {
  const expect = expectationsOf(ctx.request.headers, ctx.payload);
  const checked = expect.contentMd5 !== undefined || expect.checksum !== undefined || [...ctx.request.headers.keys()].some((name) => name.startsWith("x-amz-checksum-"));
  if (!checked) throw new S3Error("InvalidRequest", "Missing required header for this request: Content-MD5 OR x-amz-checksum-*");
}
