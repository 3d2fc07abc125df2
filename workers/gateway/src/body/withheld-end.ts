/**
 * A sink that passes chunks on one behind, and passes the last one only once `until` has
 * settled. An HTTP client knows a body of a declared length is complete at its last byte,
 * not at the stream's close: withholding that byte is how an answer can promise that
 * something (the read-through copy being stored) is done by the time the client has it all.
 * Holds one chunk more than the sink would.
 */
export function withheldEnd(sink: WritableStream<Uint8Array>, until: Promise<unknown>): WritableStream<Uint8Array> {
  const writer = sink.getWriter();
  let held: Uint8Array | undefined;
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      if (held) await writer.write(held);
      held = chunk;
    },
    async close() {
      await until.catch(() => undefined);
      if (held) await writer.write(held);
      await writer.close();
    },
    async abort(reason) {
      await writer.abort(reason);
    },
  });
}
