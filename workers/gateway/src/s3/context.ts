/** What a handler gets, and what it returns: data, never a Response or an XML string. */
import type { RequestFacts } from "../../../../shared/faults/facts";
import type { Caller } from "../../../../shared/records";
import type { XmlDocument } from "../../../../shared/s3-xml";
import type { Identity, Payload } from "../auth/authenticate";
import type { GatewayConfig } from "../config";
import type { RawTarget } from "./address";

export interface S3Context {
  request: Request;
  env: GatewayEnv;
  waitUntil(promise: Promise<unknown>): void;
  config: GatewayConfig;
  requestId: string;
  target: RawTarget;
  /** the addressed bucket ("" for service-level operations) */
  bucket: string;
  /** the addressed key ("" for bucket-level operations) */
  key: string;
  identity: Identity;
  /** the request's facts, for storage-service's fault gate; set only while it has rules */
  faultFacts?: RequestFacts;
  /** the identity as the Durable Objects check it */
  caller: Caller;
  payload: Payload;
  /** a consistency fault taking this request (faults/actions/consistency.ts) */
  consistency?: { staleMs?: number; listLagMs?: number };
}

export interface S3Result {
  status?: number;
  headers?: Record<string, string>;
  /** rendered by the one XML module */
  xml?: XmlDocument;
  body?: ReadableStream<Uint8Array> | Uint8Array | null;
}

export type Handler = (ctx: S3Context) => Promise<S3Result> | S3Result;

/** The Durable Object of the addressed bucket. */
export function bucketObject(ctx: S3Context, bucket = ctx.bucket) {
  return ctx.env.BUCKET.getByName(bucket);
}

/** The one registry of buckets. */
export function registry(env: GatewayEnv) {
  return env.REGISTRY.getByName("registry");
}
