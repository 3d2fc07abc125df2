/**
 * A bucket configuration that is stored and read back (tagging, lifecycle, encryption…): the
 * subresource that names it, its operations, its document's root element and schema, how a
 * document is checked (S3's validation errors), and what S3 answers when none is configured.
 * The document is kept as read (after the check) and rendered back by the one XML module.
 */
import type { Versioning } from "../../../../shared/records";
import type { Operation } from "../../../../shared/s3-operations";
import { S3Error, type S3ErrorCode } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import type { XmlRecord, XmlSchema } from "../body/xml-body";

/** What a check may need besides the document. */
export interface ConfigContext {
  bucket: string;
  versioning: Versioning;
  /** whether a bucket exists and belongs to the caller (logging's target) */
  ownsBucket(name: string): Promise<boolean>;
}

export interface ConfigKind {
  /** the query parameter: `?lifecycle` */
  subresource: string;
  get: Operation;
  put: Operation;
  /** absent: the configuration is turned off by a PUT (logging, accelerate…) */
  delete?: Operation;
  root: string;
  schema: XmlSchema;
  /** the document to store, or S3's error */
  check(document: XmlRecord, context: ConfigContext): XmlElement | Promise<XmlElement>;
  /** what GET answers while none is stored: an error, or S3's default document */
  unconfigured: S3ErrorCode | XmlElement;
  /** S3's setting for a new bucket (since 2023): answered until the first PUT or DELETE */
  initial?: XmlElement;
  /** PutBucketTagging and PutBucketPolicy answer 204; the others 200 */
  putStatus?: 200 | 204;
  /** PUT needs Content-MD5 or a flexible checksum, as S3 asks for these */
  integrity?: boolean;
}

/** An element's text; MalformedXML when it holds elements instead. */
export function textOf(record: XmlRecord, name: string): string | undefined {
  const value = record[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new S3Error("MalformedXML");
  return value;
}

/** A child element with children; "" (an empty element) reads as none. */
export function childOf(record: XmlRecord, name: string): XmlRecord | undefined {
  const value = record[name];
  if (value === undefined || value === "") return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw new S3Error("MalformedXML");
  return value as XmlRecord;
}

/** Elements that may repeat, as a list. */
export function listOf(record: XmlRecord, name: string): XmlRecord[] {
  const value = record[name];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== "object" || item === null) throw new S3Error("MalformedXML");
    return item as XmlRecord;
  });
}

/** A text that must be one of `allowed` (MalformedXML otherwise, as S3's schema check). */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], required = true): T | undefined {
  if (value === undefined) {
    if (required) throw new S3Error("MalformedXML");
    return undefined;
  }
  if (!allowed.includes(value as T)) throw new S3Error("MalformedXML");
  return value as T;
}

/** `true`/`false` as S3's schema writes booleans; absent: false. */
export function booleanOf(record: XmlRecord, name: string): boolean {
  const value = textOf(record, name);
  if (value === undefined) return false;
  if (value !== "true" && value !== "false") throw new S3Error("MalformedXML");
  return value === "true";
}

/** A whole number of at least 1; InvalidArgument with S3's wording otherwise. */
export function positiveOf(record: XmlRecord, name: string, what: string): number | undefined {
  const value = textOf(record, name);
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new S3Error("InvalidArgument", `'${name}' for ${what} must be a positive integer`);
  return n;
}
