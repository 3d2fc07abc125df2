/**
 * Conditional requests as S3 evaluates them (RFC 7232 order): If-Match before
 * If-Unmodified-Since, If-None-Match before If-Modified-Since. The same rules serve GET/HEAD
 * and CopyObject's `x-amz-copy-source-if-*`, where every failure is a 412.
 */
import type { ObjectRecord } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";

export interface Conditions {
  /** "" or "x-amz-copy-source-": how the error's Condition element names the header */
  prefix: string;
  ifMatch: string | null;
  ifNoneMatch: string | null;
  ifModifiedSince: string | null;
  ifUnmodifiedSince: string | null;
}

export function readConditions(headers: Headers, prefix = ""): Conditions {
  return {
    prefix,
    ifMatch: headers.get(`${prefix}if-match`),
    ifNoneMatch: headers.get(`${prefix}if-none-match`),
    ifModifiedSince: headers.get(`${prefix}if-modified-since`),
    ifUnmodifiedSince: headers.get(`${prefix}if-unmodified-since`),
  };
}

/** Throws PreconditionFailed, or NotModified (304) when `notModifiedIs304`. */
export function checkConditions(record: ObjectRecord, c: Conditions, notModifiedIs304: boolean): void {
  const seconds = Math.floor(record.lastModified / 1000);
  if (c.ifMatch !== null) {
    if (!etagListMatches(c.ifMatch, record.etag)) throw preconditionFailed(`${c.prefix}If-Match`);
  } else if (c.ifUnmodifiedSince !== null) {
    const since = parseDateSeconds(c.ifUnmodifiedSince);
    if (since !== undefined && seconds > since) throw preconditionFailed(`${c.prefix}If-Unmodified-Since`);
  }
  if (c.ifNoneMatch !== null) {
    if (etagListMatches(c.ifNoneMatch, record.etag)) throw notModified(record, notModifiedIs304, `${c.prefix}If-None-Match`);
  } else if (c.ifModifiedSince !== null) {
    const since = parseDateSeconds(c.ifModifiedSince);
    if (since !== undefined && seconds <= since) throw notModified(record, notModifiedIs304, `${c.prefix}If-Modified-Since`);
  }
}

/** `*` or a comma-separated list of (possibly weak) entity tags. */
export function etagListMatches(list: string, etag: string): boolean {
  const bare = unquote(etag);
  return list.split(",").some((candidate) => {
    const c = candidate.trim();
    return c === "*" || unquote(c.replace(/^W\//, "")) === bare;
  });
}

export function unquote(etag: string): string {
  return etag.startsWith('"') && etag.endsWith('"') && etag.length >= 2 ? etag.slice(1, -1) : etag;
}

function parseDateSeconds(value: string): number | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : Math.floor(time / 1000);
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error("PreconditionFailed", undefined, { Condition: condition });
}

function notModified(record: ObjectRecord, as304: boolean, condition: string): S3Error {
  if (!as304) return preconditionFailed(condition);
  return new S3Error("NotModified", undefined, {}, { etag: record.etag, "last-modified": new Date(record.lastModified).toUTCString() });
}
