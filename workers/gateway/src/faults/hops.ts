/**
 * Faults on the services behind the gateway, felt as their real effect inside an S3 request.
 *
 * - storage-service runs its own gate: while it has rules, the request's facts go with every
 *   storage call it makes (`ctx.faultFacts`), and storage-service decides and injects at its
 *   boundary (workers/storage-service/src/storage-gate.ts). Bytes kept inline (objects up to
 *   MOCKS3_INLINE_MAX_BYTES live in their metadata row) never cross to storage-service, yet
 *   they are storage-service's as far as faults go: where they are read or written, the
 *   gateway runs storage-service's own gate (shared/faults/rpc-gate.ts) with the same facts
 *   — its rules, counted under storage-service, and its service_down state — without the hop.
 * - metadata-service's state is the bucket Durable Objects, which the gateway calls directly
 *   (one hop less on every request). Its rules are applied on that hop, before the handler's
 *   first call: the request waits out a delay, or fails with the injected error, as if
 *   metadata-service had answered so. While metadata-service is down (service_down), the
 *   request fails with ServiceUnavailable, or waits until it is back.
 *
 * In a trace, metadata-service's decision is a span of its own (shared/telemetry/hop-span.ts).
 *
 * Neither costs anything while the services have no rules. A hop's delay leaves no other
 * trace on the answer, so its rule is added to `touched`, for the answer's fault headers.
 */
import type { RequestFacts } from "../../../../shared/faults/facts";
import type { WaitUntil } from "../../../../shared/faults/gate";
import { downS3Error, whileDown } from "../../../../shared/faults/service-down";
import { serviceGate } from "../../../../shared/faults/service-gate";
import { injectedS3Error } from "../../../../shared/faults/injected-error";
import { waitOut } from "../../../../shared/faults/delay-time";
import type { Rule } from "../../../../shared/faults/rule";
import { rpcGate } from "../../../../shared/faults/rpc-gate";
import { unwrap } from "../../../../shared/s3-errors";
import { hopSpan } from "../../../../shared/telemetry/hop-span";
import type { S3Context } from "../s3/context";

/** metadata-service's answer to this request's metadata calls: on time, late, or an error. */
export async function metadataHop(facts: RequestFacts, waitUntil: WaitUntil, touched: Rule[]): Promise<void> {
  if (!serviceGate.touches(["metadata-service"], facts)) return;
  await hopSpan("metadata-service", "fault gate", () => metadataGate(facts, waitUntil, touched));
}

async function metadataGate(facts: RequestFacts, waitUntil: WaitUntil, touched: Rule[]): Promise<void> {
  const down = await whileDown("metadata-service");
  if (down) throw downS3Error("metadata-service", down);
  const injection = serviceGate.check("metadata-service", facts, waitUntil);
  if (!injection) return;
  try {
    // a delay, or an error's delay first (a slow failure)
    await waitOut(injection);
    if (injection.rule.action.type !== "delay") throw injectedS3Error(injection.rule);
    touched.push(injection.rule);
  } finally {
    injection.done();
  }
}

/**
 * storage-service's answer to inline bytes being read or written: on time, late, or its
 * error. Free while storage-service has no rules and is up (`ctx.faultFacts` is unset then).
 * Once decided here, the request's later storage calls (UploadPartCopy of an inline source
 * writes a part) go without facts: one decision per request, as at storage-service itself.
 */
export async function inlineBytesHop(ctx: S3Context): Promise<void> {
  const facts = ctx.faultFacts;
  if (!facts) return;
  const gate = () => rpcGate("storage-service", { env: ctx.env, waitUntil: ctx.waitUntil, facts, once: true });
  unwrap(await hopSpan("storage-service", "fault gate", gate));
  ctx.faultFacts = undefined;
}
