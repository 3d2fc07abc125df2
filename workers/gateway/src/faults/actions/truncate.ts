/**
 * `truncate`: the answer declares its full Content-Length, then its body stops after
 * `after_bytes` (or `fraction` of the length) and the connection is cut — the client sees a
 * short read, as when a server or a proxy dies mid-answer.
 */
import { withBody, type FaultAction } from "../fault-context";

export const truncate: FaultAction = async ({ injection, respond }) => {
  const action = injection.rule.action;
  const response = await respond();
  if (action.type !== "truncate" || !response.body) return response;
  const declared = Number(response.headers.get("content-length") ?? "0");
  const limit = action.after_bytes ?? Math.floor((action.fraction ?? 0) * declared);
  return withBody(response, cutAfter(response.body, limit));
};

export function cutAfter(source: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let passed = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      const room = limit - passed;
      if (value.byteLength < room) {
        passed += value.byteLength;
        return controller.enqueue(value);
      }
      if (room > 0) controller.enqueue(value.subarray(0, room));
      await reader.cancel("truncated by a fault");
      controller.error(new Error("answer truncated by a fault rule"));
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
