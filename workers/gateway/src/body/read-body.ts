/**
 * A small request body (an XML document) read whole and verified like any other body:
 * aws-chunked framing removed, Content-MD5, x-amz-content-sha256 and flexible checksums
 * checked. Bodies over `limit` bytes are refused with MalformedXML, S3's answer.
 */
import { Buffer } from "node:buffer";
import { S3Error } from "../../../../shared/s3-errors";
import type { S3Context } from "../s3/context";
import { BodyDigests } from "./body-digests";
import { bodySource } from "./body-source";
import { expectationsOf, type BodyExpectations } from "./expectations";

const DEFAULT_LIMIT = 2 * 1024 * 1024;

/** `expect`: what to check, when the request's headers say more than that (CompleteMultipartUpload). */
export async function readBodyText(ctx: S3Context, limit = DEFAULT_LIMIT, expect: BodyExpectations = expectationsOf(ctx.request.headers, ctx.payload)): Promise<string> {
  if (expect.length !== undefined && expect.length > limit) throw new S3Error("MalformedXML", "The request body is too large.");
  const digests = new BodyDigests(expect);
  const source = bodySource(ctx.request, ctx.payload, expect.length);
  const pieces: Uint8Array[] = [];
  let size = 0;
  for await (const piece of source.pieces) {
    size += piece.byteLength;
    if (size > limit) throw new S3Error("MalformedXML", "The request body is too large.");
    digests.update(piece);
    pieces.push(piece.slice());
  }
  await digests.verify(source.trailers);
  return new TextDecoder().decode(Buffer.concat(pieces));
}
