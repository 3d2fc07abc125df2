/**
 * third-party-service's RPC surface: read-through from a bucket's upstream S3 source. The
 * gateway calls `readThrough` on a GET or HEAD of a key its bucket lacks; a bucket without an
 * upstream answers "none" at once (no fault gate, no log line: nothing changes for it).
 * Otherwise the call passes this service's fault gate (shared/faults/rpc-gate.ts: a rule on
 * third-party-service delays or fails it; while the service is down it fails) and reads the
 * object from the upstream; each such call is one line of the request log (operation
 * `ReadThrough`).
 */
import { WorkerEntrypoint } from "cloudflare:workers";
import type { RequestFacts } from "../../../shared/faults/facts";
import { rpcGate } from "../../../shared/faults/rpc-gate";
import { logRequest } from "../../../shared/telemetry/request-log";
import { tracedBindings } from "../../../shared/telemetry/rpc-trace";
import { serveTracedEntrypoint } from "../../../shared/telemetry/traced-entrypoint";
import { tracingEndpoint } from "../../../shared/telemetry/tracing";
import type { ReadThroughAnswer } from "../../../shared/upstreams";
import { UPSTREAMS_STATE, upstreamsStore } from "./upstreams-store";
import { readFromUpstream, type UpstreamRead } from "./upstream-fetch";

/** The key asked for, and the S3 request asking (for the log line). */
export interface ReadThroughRequest {
  bucket: string;
  key: string;
  requestId: string;
}

export class ThirdPartyService extends WorkerEntrypoint<ThirdPartyEnv> {
  async readThrough(request: ReadThroughRequest, facts?: RequestFacts): Promise<ReadThroughAnswer> {
    const upstream = await upstreamsStore(this.tracedEnv()).find(request.bucket);
    if (!upstream) return { kind: "none" };
    const started = Date.now();
    const waitUntil = (promise: Promise<unknown>) => this.ctx.waitUntil(promise);
    const refused = await rpcGate("third-party-service", { env: this.env, waitUntil, facts });
    const read: UpstreamRead = refused ? { answer: refused, status: refused.injected?.status ?? 503 } : await readFromUpstream(upstream, request.key, this.env.MOCKS3_DESTINATION_GUARD);
    this.log(request, read, started, refused?.headers ?? {});
    return read.answer;
  }

  /** A call under the caller's trace, in a span of its own (shared/telemetry/rpc-trace.ts). */
  traced(traceparent: string | undefined, method: string, args: unknown[]): Promise<unknown> {
    return serveTracedEntrypoint(this, traceparent, method, args, { service: "third-party-service", env: this.env, ctx: this.ctx });
  }

  /** The env whose store calls carry the trace, while tracing is on (the fetch handler's are wrapped by tracedWorker). */
  private tracedEnv(): ThirdPartyEnv {
    return tracingEndpoint(this.env) ? tracedBindings(this.env, UPSTREAMS_STATE) : this.env;
  }

  /** `marks`: the fault headers of an injected answer */
  private log(request: ReadThroughRequest, read: UpstreamRead, started: number, marks: Record<string, string>): void {
    const size = "kind" in read.answer && read.answer.kind === "object" ? read.answer.head.size : 0;
    const line = { service: "third-party-service", operation: "ReadThrough", method: "GET", bucket: request.bucket, status: read.status, started, bytesIn: 0, bytesOut: size };
    logRequest({ ...line, requestId: request.requestId, faultRuleId: marks["x-mocks3-fault-rule"], faultAction: marks["x-mocks3-fault-action"] }, (promise) => this.ctx.waitUntil(promise));
  }
}
