/**
 * `throttle`: the request body (upload), the answer body (download) or both flow at the
 * rule's bytes per second, in slices of at most a tenth of a second's worth so the rate is
 * smooth. A halt lets the rest through at full speed.
 */
import type { StopSignal } from "../../../../../shared/faults/gate";
import { sleep } from "../../../../../shared/faults/sleep";
import { withBody, type FaultAction } from "../fault-context";

export const throttle: FaultAction = async ({ injection, ctx, respond }) => {
  const action = injection.rule.action;
  if (action.type !== "throttle") return respond();
  const direction = action.direction ?? "both";
  const rate = action.bytes_per_second;
  let request = ctx.request;
  if (direction !== "download" && request.body) {
    request = new Request(request, { body: throttled(request.body, rate, injection.signal), duplex: "half" } as RequestInit);
  }
  const response = await respond(request);
  if (direction === "upload" || !response.body) {
    injection.done();
    return response;
  }
  return withBody(
    response,
    throttled(response.body, rate, injection.signal, () => injection.done()),
  );
};

export function throttled(source: ReadableStream<Uint8Array>, bytesPerSecond: number, signal: StopSignal, onEnd?: () => void): ReadableStream<Uint8Array> {
  const slice = Math.max(1, Math.floor(bytesPerSecond / 10));
  const reader = source.getReader();
  let started = 0;
  let sent = 0;
  let pending: Uint8Array | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!pending || pending.byteLength === 0) {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          onEnd?.();
          return;
        }
        pending = value;
      }
      if (signal.aborted) {
        controller.enqueue(pending);
        pending = undefined;
        return;
      }
      started ||= Date.now();
      const piece = pending.subarray(0, slice);
      pending = pending.subarray(piece.byteLength);
      // wait until sending this piece keeps the average at the rate
      const due = started + ((sent + piece.byteLength) / bytesPerSecond) * 1000;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait, signal);
      sent += piece.byteLength;
      controller.enqueue(piece);
    },
    cancel(reason) {
      onEnd?.();
      return reader.cancel(reason);
    },
  });
}
