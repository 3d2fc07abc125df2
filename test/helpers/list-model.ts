/**
 * A model of S3's listing over a fixed set of awkward keys, for the ListObjects tests to
 * compare with: keys in UTF-8 byte order, keys rolled up into common prefixes under the
 * delimiter, and an entry (key or common prefix) listed only when it sorts after the
 * marker / start-after / continuation position.
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { newBucket, s3Client } from "./s3";

export const KEYS = [
  "a",
  "a.b",
  "a/b/c",
  "a/b/d",
  "a/e",
  "a0",
  "b",
  "b/",
  "c/x/y",
  "c/x/z",
  "c/y",
  "key with spaces",
  "key with spaces/inner key",
  "plus+sign",
  "plus+/a+b",
  "percent%",
  "percent%25/x",
  "unicode/é",
  "unicode/日本語",
  "ünï/cödé",
  "\uFF41/fullwidth",
  "\uFF41x",
  "😀/emoji",
  "😀😀",
  "z",
];

/** S3's order: UTF-8 bytes, which differs from JS string order for astral characters. */
export function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

export interface ListShape {
  prefix: string;
  delimiter: string;
}

export interface Entries {
  keys: string[];
  prefixes: string[];
}

/** The whole listing S3 would produce after `after`, in order. */
export function model({ prefix, delimiter }: ListShape, after = ""): Entries & { count: number } {
  const entries: Array<{ value: string; prefix: boolean }> = [];
  for (const key of [...KEYS].sort(utf8Compare)) {
    if (!key.startsWith(prefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry = at < 0 ? { value: key, prefix: false } : { value: key.slice(0, at + delimiter.length), prefix: true };
    if (entries.at(-1)?.value !== entry.value) entries.push(entry);
  }
  const listed = entries.filter((e) => utf8Compare(e.value, after) > 0);
  return {
    keys: listed.filter((e) => !e.prefix).map((e) => e.value),
    prefixes: listed.filter((e) => e.prefix).map((e) => e.value),
    count: listed.length,
  };
}

/** Creates a fresh bucket holding every key of KEYS (each key's body is the key itself). */
export async function newBucketOfKeys(prefix: string): Promise<string> {
  const bucket = await newBucket(prefix);
  const s3 = s3Client();
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  return bucket;
}
