/** The facts fault conditions test, built once per S3 request (only while rules exist). */
import { headerRecord, queryRecord, type RequestFacts } from "../../../../shared/faults/facts";
import type { S3Context } from "../s3/context";
import { clientAddress } from "./connection";

export function requestFacts(ctx: S3Context, operation: string): RequestFacts {
  const headers = ctx.request.headers;
  const length = headers.get("x-amz-decoded-content-length") ?? headers.get("content-length");
  const part = ctx.target.query.get("partNumber");
  return {
    requestId: ctx.requestId,
    operation,
    method: ctx.request.method,
    bucket: ctx.bucket,
    key: ctx.key,
    sourceAddress: clientAddress(ctx.request) ?? headers.get("cf-connecting-ip") ?? undefined,
    userAgent: headers.get("user-agent") ?? undefined,
    accessKey: ctx.identity.accessKeyId,
    contentLength: length === null || !/^\d+$/.test(length) ? undefined : Number(length),
    partNumber: part === null || !/^\d+$/.test(part) ? undefined : Number(part),
    headers: headerRecord(headers),
    query: queryRecord(ctx.target.query),
  };
}
