/**
 * Object bodies as the PutObject and GetObject tests write and read them: deterministic
 * bytes to store, the URL that reaches a key, and the bytes GetObject gives back.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { endpoint, s3Client } from "./s3";

/** Deterministic, non-repeating bytes. */
export function pattern(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** The object through the SDK's GetObject, and its body's bytes. */
export async function bodyBytes(bucket: string, key: string, extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {}) {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { out, bytes: await out.Body!.transformToByteArray() };
}

/** The object's path-style URL, each segment of the key percent-encoded (a `/` stays a `/`). */
export function objectPathUrl(bucket: string, key: string, query = ""): string {
  return `${endpoint()}/${bucket}/${key.split("/").map(encodeURIComponent).join("/")}${query}`;
}

/** An object with every standard content header and some user metadata set. */
export function withEveryHeader(bucket: string, key: string) {
  return {
    Bucket: bucket,
    Key: key,
    Body: "hello",
    ContentType: "text/plain; charset=utf-8",
    ContentEncoding: "identity",
    ContentDisposition: 'attachment; filename="h.txt"',
    ContentLanguage: "en-GB",
    CacheControl: "max-age=60",
    Expires: new Date("2030-01-01T00:00:00Z"),
    Metadata: { color: "blue", "multi-word": "two words" },
  };
}
