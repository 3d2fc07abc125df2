/**
 * One stream copied to several sinks, a chunk at a time: each chunk is written to every sink
 * before the next is read, so the slowest sink sets the pace and memory holds one chunk
 * (a ReadableStream's tee() buffers whatever the slower branch has not taken yet, a whole
 * object behind a slow client). A sink that fails or goes away is dropped; the others go on
 * to the end. A failing source aborts every sink.
 */
export async function fanOut(source: ReadableStream<Uint8Array>, sinks: WritableStream<Uint8Array>[]): Promise<void> {
  let writers = sinks.map((sink) => sink.getWriter());
  const reader = source.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const written = await Promise.allSettled(writers.map((writer) => writer.write(value)));
      writers = writers.filter((_, i) => written[i]!.status === "fulfilled");
      if (writers.length === 0) {
        await reader.cancel();
        return;
      }
    }
    await Promise.allSettled(writers.map((writer) => writer.close()));
  } catch (error) {
    await Promise.allSettled(writers.map((writer) => writer.abort(error)));
  }
}
