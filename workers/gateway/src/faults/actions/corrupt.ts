/**
 * `corrupt`: some bytes of the answer body are changed on their way out (`bytes`, default 1,
 * at positions drawn from the rule's seed), while the status, Content-Length, ETag and
 * checksum headers stay as stored — a client that validates checksums must notice.
 */
import type { Injection } from "../../../../../shared/faults/gate";
import { withBody, type FaultAction } from "../fault-context";

export const corrupt: FaultAction = async ({ injection, respond }) => {
  const action = injection.rule.action;
  const response = await respond();
  const length = Number(response.headers.get("content-length") ?? "0");
  if (action.type !== "corrupt" || !response.body || length === 0) return response;
  return withBody(response, flipped(response.body, positions(injection, Math.min(action.bytes ?? 1, length), length)));
};

/** Distinct byte positions in [0, length), ascending. */
function positions(injection: Injection, count: number, length: number): number[] {
  const chosen = new Set<number>();
  for (let i = 0; chosen.size < count; i++) chosen.add(Math.floor(injection.counter.draw(injection.n, 2 + i) * length));
  return [...chosen].sort((a, b) => a - b);
}

function flipped(source: ReadableStream<Uint8Array>, at: number[]): ReadableStream<Uint8Array> {
  let offset = 0;
  let next = 0;
  return source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const end = offset + chunk.byteLength;
        if (next < at.length && at[next]! < end) {
          const copy = chunk.slice();
          while (next < at.length && at[next]! < end) {
            copy[at[next]! - offset]! ^= 0xff;
            next++;
          }
          chunk = copy;
        }
        offset = end;
        controller.enqueue(chunk);
      },
    }),
  );
}
