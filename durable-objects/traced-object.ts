/**
 * The Durable Objects' side of traces across RPC hops (shared/telemetry/rpc-trace.ts): a
 * traced caller calls `traced(traceparent, method, args)`, and the method runs in a server
 * span of the service whose state the object is (the class's static `service`).
 */
import { DurableObject } from "cloudflare:workers";
import { serveTraced } from "../shared/telemetry/rpc-trace";

export abstract class TracedDurableObject extends DurableObject<DurableObjectsEnv> {
  traced(traceparent: string | undefined, method: string, args: unknown[]): Promise<unknown> {
    const { service } = this.constructor as unknown as { service: string };
    return serveTraced(this, traceparent, method, args, { service, waitUntil: (promise) => this.ctx.waitUntil(promise) });
  }
}
