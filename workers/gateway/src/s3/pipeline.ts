/**
 * One S3 request, start to end: request id → address → SigV4 → operation → handler →
 * the one renderer. The caller the handler passes to the bucket carries what the request asks
 * (access-context.ts): the bucket's policy and ACLs judge it there. Handlers return data or throw S3Error; nothing else writes a response.
 * A CORS preflight (OPTIONS) is answered before SigV4, browsers never signing one; a request
 * with `Origin` gets its bucket's CORS headers on whatever it is answered.
 *
 * The fault gate sits between the operation and its handler: once the rules are loaded, a
 * request costs nothing more while no rule exists; otherwise it takes the fault path
 * (faults/fault-path.ts). While a disk_full anomaly holds,
 * the operations that store object bytes are refused before their bodies are read.
 */
import { BYTE_WRITES, diskFullS3Error } from "../../../../shared/faults/disk-full";
import { rulesSource, serviceGate } from "../../../../shared/faults/service-gate";
import { S3Error } from "../../../../shared/s3-errors";
import type { RequestLogFacts } from "../../../../shared/telemetry/request-log";
import { authenticate } from "../auth/authenticate";
import { gatewayConfig } from "../config";
import { preflight } from "../cors/preflight";
import { answerWithFaults } from "../faults/fault-path";
import { ruleLookup } from "../faults/request-facts";
import { clientAddress } from "../faults/connection";
import { lookUpCors, withCorsHeaders, type CorsLookup } from "../cors/response-headers";
import { newRequestId } from "../request-id";
import { accessRequest } from "./access-context";
import { addressOf } from "./address";
import { withHoistedHeaders } from "./hoisted-headers";
import type { S3Context } from "./context";
import { OPERATIONS } from "./dispatch";
import { detectOperation } from "./operations";
import { renderRequestError, renderResult, type ResponseContext } from "./render";
import type { FaultService } from "../../../../shared/faults/fault-services";

/** Operations of an account rather than of a bucket: an anonymous request has none. */
const ACCOUNT_OPERATIONS: ReadonlySet<string> = new Set(["ListBuckets", "CreateBucket"]);

/** The services whose rules an S3 request meets on its way through the gateway (fault-path.ts). */
const FAULTED_HERE: readonly FaultService[] = ["gateway", "metadata-service", "storage-service"];

/** `logged` receives the operation and bucket for the request's log line, once they are known. */
export async function handleS3(received: Request, env: GatewayEnv, exec: ExecutionContext, logged: RequestLogFacts = {}): Promise<Response> {
  const rc: ResponseContext = { requestId: newRequestId(), method: received.method, resource: "/" };
  let request = received;
  logged.operation = "Unknown";
  let cors: CorsLookup | undefined;
  try {
    const config = gatewayConfig(env);
    const target = addressOf(request, config.baseDomain);
    rc.resource = target.bucket ? `/${target.bucket}${target.key ? `/${target.key}` : ""}` : "/";
    logged.bucket = target.bucket;
    if (request.method === "OPTIONS") {
      logged.operation = "PreflightRequest";
      return renderResult(await preflight(request, target, env), rc);
    }
    cors = lookUpCors(request, target, env);
    const { identity, payload } = authenticate(request, target, config);
    if (target.query.has("X-Amz-Signature")) request = withHoistedHeaders(request, target.query);
    const operation = detectOperation(request.method, request.headers, target);
    logged.operation = operation.name;
    if (!operation.implemented) throw new S3Error("NotImplemented", `${operation.name} is not implemented by MockS3.`);
    if (identity.anonymous && ACCOUNT_OPERATIONS.has(operation.name)) throw new S3Error("AccessDenied", "Anonymous users cannot list or create buckets: sign the request (MOCKS3_AUTH is strict).");
    const sourceIp = clientAddress(request);
    const waitUntil = (promise: Promise<unknown>) => exec.waitUntil(promise);
    const ctx: S3Context = {
      request,
      env,
      waitUntil,
      config,
      requestId: rc.requestId,
      target,
      bucket: target.bucket ?? "",
      key: target.key,
      identity,
      caller: {
        ownerId: identity.ownerId,
        requestId: rc.requestId,
        sourceIp,
        principal: identity.anonymous ? "anonymous" : identity.accessKeyId,
        access: accessRequest(request, target, operation.name, identity, sourceIp),
      },
      payload,
    };
    const loading = serviceGate.ready(rulesSource(env), waitUntil);
    if (loading) await loading;
    // while a consistency fault is in force, buckets remember what writes replace
    const window = serviceGate.consistencyWindowMs;
    if (window > 0) ctx.caller.recentWindowMs = window;
    const full = BYTE_WRITES.has(operation.name) ? serviceGate.diskFull() : undefined;
    if (full) throw diskFullS3Error(full);
    const handler = OPERATIONS[operation.name];
    // the look-up is built only while something is in force: the no-rule path allocates nothing for it
    const lookup = serviceGate.idle ? undefined : ruleLookup(ctx, operation.name);
    const faulted = lookup !== undefined && serviceGate.touches(FAULTED_HERE, lookup);
    const response = faulted ? await answerWithFaults(handler, ctx, operation.name, rc, lookup) : renderResult(await handler(ctx), rc);
    return await withCorsHeaders(response, request, cors);
  } catch (error) {
    return withCorsHeaders(await renderRequestError(error, request, rc), request, cors);
  }
}
