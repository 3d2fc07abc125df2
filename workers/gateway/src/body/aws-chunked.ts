/**
 * Decodes `Content-Encoding: aws-chunked` bodies, which modern SDKs send by default:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n <data> \r\n … 0[;chunk-signature=<sig>]\r\n
 *   [<trailer>:<value>\r\n …] [x-amz-trailer-signature:<sig>\r\n] \r\n
 *
 * Data is handed on as it arrives, so nothing but the framing is ever held. When the request
 * was signed with STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], every chunk's signature is
 * checked against the chain seeded by the request signature, and the trailer's too; a chunk
 * is verified when it ends, and a failure aborts the whole write, so unverified bytes never
 * become visible. Stored bytes never contain the framing.
 *
 * Signed chunks must be at least 8 KiB, all but the last data chunk: S3 answers
 * InvalidChunkSizeError, naming the chunk that followed a short one. Unsigned-trailer bodies
 * carry whatever pieces the client's stream produced, of any size.
 */
import { createHash } from "node:crypto";
import { S3Error } from "../../../../shared/s3-errors";
import type { ChunkSigning } from "../auth/authenticate";
import { EMPTY_SHA256, hmacHex, sha256Hex, signaturesEqual } from "../auth/sigv4";
import { ByteReader } from "./byte-reader";

const MAX_LINE = 4096;
/** S3's smallest signed chunk, but for the last one. */
const MIN_SIGNED_CHUNK = 8192;

/**
 * The decoded data of an aws-chunked body. `trailers` is filled in (lower-case names) once
 * the data is exhausted.
 */
export async function* decodeAwsChunked(body: ReadableStream<Uint8Array> | null, signing: ChunkSigning | undefined, trailers: Map<string, string>): AsyncGenerator<Uint8Array> {
  if (!body) throw new S3Error("IncompleteBody");
  const reader = new ByteReader(body);
  let previous = signing?.seed;
  let lastSize: number | undefined;
  for (let chunk = 1; ; chunk++) {
    const { size, signature } = parseChunkHeader(await reader.readLine(MAX_LINE));
    if (signing && size > 0 && lastSize !== undefined && lastSize < MIN_SIGNED_CHUNK) {
      throw new S3Error("InvalidChunkSizeError", undefined, { Chunk: chunk, BadChunkSize: lastSize });
    }
    lastSize = size;
    const hash = signing ? createHash("sha256") : undefined;
    for await (const piece of reader.read(size)) {
      hash?.update(piece);
      yield piece;
    }
    if (signing) previous = verifyChunk(signing, previous!, hash!.digest("hex"), signature);
    if (size === 0) break;
    if ((await reader.readLine(MAX_LINE)) !== "") throw malformed("a chunk's data is not followed by CRLF");
  }
  await readTrailers(reader, signing, previous, trailers);
}

function parseChunkHeader(line: string | undefined): { size: number; signature?: string } {
  if (line === undefined) throw new S3Error("IncompleteBody");
  const [sizeText, ...extensions] = line.split(";");
  if (!sizeText || !/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`bad chunk size "${sizeText}"`);
  const signature = extensions.find((e) => e.startsWith("chunk-signature="))?.slice("chunk-signature=".length);
  return { size: Number.parseInt(sizeText, 16), signature };
}

function verifyChunk(signing: ChunkSigning, previous: string, dataHash: string, provided: string | undefined): string {
  const toSign = `AWS4-HMAC-SHA256-PAYLOAD\n${signing.amzDate}\n${signing.scope}\n${previous}\n${EMPTY_SHA256}\n${dataHash}`;
  const expected = hmacHex(signing.key, toSign);
  if (!provided || !signaturesEqual(expected, provided)) {
    throw new S3Error("SignatureDoesNotMatch", "The chunk signature we calculated does not match the signature you provided.", {
      StringToSign: toSign,
      SignatureProvided: provided ?? "",
    });
  }
  return expected;
}

async function readTrailers(reader: ByteReader, signing: ChunkSigning | undefined, previous: string | undefined, trailers: Map<string, string>): Promise<void> {
  let canonical = "";
  let trailerSignature: string | undefined;
  for (;;) {
    const line = await reader.readLine(MAX_LINE);
    if (line === undefined || line === "") break;
    const colon = line.indexOf(":");
    if (colon <= 0) throw malformed(`bad trailer line "${line}"`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") {
      trailerSignature = value;
      continue;
    }
    trailers.set(name, value);
    canonical += `${name}:${value}\n`;
  }
  if (!signing || trailers.size === 0) return;
  const toSign = `AWS4-HMAC-SHA256-TRAILER\n${signing.amzDate}\n${signing.scope}\n${previous}\n${sha256Hex(canonical)}`;
  if (!trailerSignature || !signaturesEqual(hmacHex(signing.key, toSign), trailerSignature)) {
    throw new S3Error("SignatureDoesNotMatch", "The trailer signature we calculated does not match the signature you provided.", { StringToSign: toSign });
  }
}

function malformed(detail: string): S3Error {
  return new S3Error("InvalidArgument", `The aws-chunked body is malformed: ${detail}.`);
}
