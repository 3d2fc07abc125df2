/**
 * The small objects every operation works on: POOL_SIZE keys under one prefix, key `i`
 * always holding the same bytes (a slice of the pattern stream), so a GET can be checked
 * whichever PUT last wrote the key — even with PUTs and GETs mixed at high concurrency.
 *
 * Everything per key (path, body, ETag, SHA-256) is computed once here, not per request.
 */
import { createHash } from "node:crypto";
import { patternSlice } from "./pattern-bytes";
import { encodeKeyPath, UNSIGNED_PAYLOAD } from "./sigv4-signer";

/** Enough keys that concurrent requests rarely hit the same one; few enough to list in one page. */
export const POOL_SIZE = 100;

/** How a PUT's body is declared in x-amz-content-sha256. */
export type PayloadMode = "unsigned" | "sha256";

export interface PooledObject {
  key: string;
  /** the wire path (and canonical URI) `/bucket/key` */
  path: string;
  body: Buffer;
  /** S3's ETag for a single-part PUT: the quoted MD5 */
  etag: string;
  /** what the PUT sends as x-amz-content-sha256 */
  payloadHash: string;
}

export class ObjectPool {
  readonly objects: PooledObject[];
  readonly prefix: string;
  readonly size: number;

  constructor(bucket: string, size: number, payload: PayloadMode) {
    this.size = size;
    this.prefix = `small-${size}/`;
    this.objects = Array.from({ length: POOL_SIZE }, (_, i) => {
      const key = `${this.prefix}${String(i).padStart(4, "0")}`;
      const body = patternSlice(i * size, size);
      return {
        key,
        path: encodeKeyPath(bucket, key),
        body,
        etag: `"${createHash("md5").update(body).digest("hex")}"`,
        payloadHash: payload === "sha256" ? createHash("sha256").update(body).digest("hex") : UNSIGNED_PAYLOAD,
      };
    });
  }

  at(index: number): PooledObject {
    return this.objects[index % POOL_SIZE]!;
  }
}
