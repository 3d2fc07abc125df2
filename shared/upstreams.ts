/**
 * Read-through buckets: a local bucket's upstream S3 source, as third-party-service keeps it
 * (UpstreamsDO) and shows it (never with its secret), and what its read-through call answers
 * the gateway. Plain data: it crosses RPC unchanged.
 */
import type { ContentHeaders } from "./records";
import type { Failure } from "./s3-errors";

/** An upstream as written through the API (snake_case, the API's JSON). */
export interface Upstream {
  /** the upstream's URL: scheme, host, optional port (and path prefix) */
  endpoint: string;
  /** the bucket in the upstream */
  bucket: string;
  region: string;
  access_key_id: string;
  secret_access_key: string;
  /** path-style addressing (host/bucket/key) rather than virtual-hosted (bucket.host/key) */
  force_path_style: boolean;
}

/** An upstream as the API answers it: the secret never leaves the store. */
export type UpstreamView = Omit<Upstream, "secret_access_key"> & {
  /** the local bucket that reads through from it */
  local_bucket: string;
  created_at: string;
  updated_at: string;
};

/** What the upstream said about an object, and what is stored with it locally. */
export interface UpstreamHead extends ContentHeaders {
  size: number;
  /** quoted, as S3 sends it; absent when the upstream sent none */
  etag?: string;
  /** milliseconds since the epoch */
  lastModified?: number;
  userMetadata: Record<string, string>;
}

/**
 * third-party-service's answer to a read-through: "none" when the bucket has no upstream
 * (the miss stays a miss), the object (its bytes streamed as the upstream sends them), or a
 * Failure: NoSuchKey for an object the upstream lacks, ServiceUnavailable or BadGateway when
 * the upstream cannot be read, or an error a fault rule on third-party-service injects.
 */
export type ReadThroughAnswer = { kind: "none" } | { kind: "object"; head: UpstreamHead; body: ReadableStream<Uint8Array> } | Failure;
