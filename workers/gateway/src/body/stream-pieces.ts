import type { BodySource } from "./body-source";

/** A stream's chunks as an async generator, for ingest; a consumer that stops early cancels the stream. */
export async function* streamPieces(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value.byteLength > 0) yield value;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** Stored bytes (a copy's source) as ingest's pieces; a stream is cancelled if ingest stops early. */
export function bytesSource(bytes: Uint8Array | ReadableStream<Uint8Array>): BodySource {
  return { pieces: piecesOf(bytes), trailers: new Map() };
}

async function* piecesOf(bytes: Uint8Array | ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (!(bytes instanceof Uint8Array)) yield* streamPieces(bytes);
  else if (bytes.byteLength > 0) yield bytes;
}
