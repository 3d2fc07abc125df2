/** A request body as decoded pieces: as sent, or unwrapped from aws-chunked framing. */
import type { Payload } from "../auth/authenticate";
import { decodeAwsChunked } from "./aws-chunked";
import { blocksOf } from "./byte-reader";

/** Plain bodies up to this size are read in one native call. */
const WHOLE_READ_LIMIT = 1024 * 1024;

export interface BodySource {
  pieces: AsyncIterable<Uint8Array>;
  /** trailing headers (aws-chunked), complete once `pieces` is exhausted */
  trailers: Map<string, string>;
}

export function bodySource(request: Request, payload: Payload, declaredLength?: number): BodySource {
  const trailers = new Map<string, string>();
  if (payload.mode === "chunks") return { pieces: decodeAwsChunked(request.body, payload.signing, trailers), trailers };
  if (declaredLength !== undefined && declaredLength <= WHOLE_READ_LIMIT) return { pieces: whole(request), trailers };
  return { pieces: blocksOf(request.body, true), trailers };
}

async function* whole(request: Request): AsyncGenerator<Uint8Array> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.byteLength > 0) yield bytes;
}
