/**
 * An object of a test bucket as the auth tests reach it: its URL with the key percent-encoded
 * whole (so a `/` in it travels as %2F, which signing must canonicalise), its stored bytes
 * read back through the SDK, and its absence after a refused write.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { expect } from "vitest";
import { endpoint, s3Client, s3Error } from "./s3";

/** The object's URL, the key percent-encoded whole (a `/` in it as %2F). */
export function objectUrl(bucket: string, key: string): string {
  return `${endpoint()}/${bucket}/${encodeURIComponent(key)}`;
}

/** The stored object through the SDK, with its CRC32 if it has one (the SDK checks it). */
export async function getBytes(bucket: string, key: string): Promise<{ bytes: Buffer; etag?: string; crc32?: string }> {
  const got = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
  return { bytes: Buffer.from(await got.Body!.transformToByteArray()), etag: got.ETag, crc32: got.ChecksumCRC32 };
}

export async function expectNoSuchKey(bucket: string, key: string): Promise<void> {
  expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toEqual({ code: "NoSuchKey", status: 404 });
}
