/**
 * The facts fault conditions test, built once per S3 request (only while rules exist). The
 * header and query records are built on first use: few rules look at them, and reading
 * every header out of workerd cost more than the rest of the gate (measured with the fault
 * bench). A call to storage-service that carries the facts copies them, records included.
 */
import { headerRecord, queryRecord, type RequestFacts } from "../../../../shared/faults/facts";
import type { RuleLookup } from "../../../../shared/faults/rule-index";
import type { S3Context } from "../s3/context";
import { clientAddress } from "./connection";

export function requestFacts(ctx: S3Context, operation: string, lookup = ruleLookup(ctx, operation)): RequestFacts {
  const headers = ctx.request.headers;
  const length = headers.get("x-amz-decoded-content-length") ?? headers.get("content-length");
  const part = ctx.target.query.get("partNumber");
  return {
    requestId: ctx.requestId,
    operation,
    method: ctx.request.method,
    bucket: lookup.bucket,
    key: lookup.key,
    sourceAddress: clientAddress(ctx.request) ?? headers.get("cf-connecting-ip") ?? undefined,
    userAgent: headers.get("user-agent") ?? undefined,
    accessKey: lookup.accessKey,
    contentLength: length === null || !/^\d+$/.test(length) ? undefined : Number(length),
    partNumber: part === null || !/^\d+$/.test(part) ? undefined : Number(part),
    get headers() {
      return lookup.headers;
    },
    get query() {
      return lookup.query;
    },
  };
}

/** What the gates look up to tell whether any rule could match the request: no more is read until one could. */
export function ruleLookup(ctx: S3Context, operation: string): RuleLookup {
  let headerValues: Record<string, string> | undefined;
  let queryValues: Record<string, string> | undefined;
  return {
    bucket: ctx.bucket,
    operation,
    key: ctx.key,
    accessKey: ctx.identity.accessKeyId,
    get headers() {
      return (headerValues ??= headerRecord(ctx.request.headers));
    },
    get query() {
      return (queryValues ??= queryRecord(ctx.target.query));
    },
  };
}
