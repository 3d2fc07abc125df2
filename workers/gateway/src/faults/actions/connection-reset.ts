/**
 * `connection_reset`: the front door resets the client's TCP connection (a real RST) before
 * any byte of an answer. A request that did not come through the front door has its
 * connection dropped by workerd instead: headers, then a body that fails at once.
 */
import { discardUnreadBody } from "../../body/discard-body";
import { resetConnection } from "../connection";
import type { FaultAction } from "../fault-context";

export const connectionReset: FaultAction = async ({ ctx }) => {
  if (await resetConnection(ctx.request, ctx.env)) return new Response(null, { status: 500 });
  await discardUnreadBody(ctx.request);
  const failing = new ReadableStream({ start: (controller) => controller.error(new Error("connection reset by a fault rule")) });
  return new Response(failing, { status: 200, headers: { "content-length": "1" } });
};
