/**
 * One S3 request, start to end: request id → address → SigV4 → operation → handler →
 * the one renderer. Handlers return data or throw S3Error; nothing else writes a response.
 * A CORS preflight (OPTIONS) is answered before SigV4, browsers never signing one; a request
 * with `Origin` gets its bucket's CORS headers on whatever it is answered.
 *
 * The fault gate sits between the operation and its handler: once the rules are loaded, a
 * request costs nothing more while no rule exists; otherwise its facts are gathered once,
 * the services behind the gateway get them (faults/hops.ts), and a gateway rule that takes
 * the request decides its answer (faults/apply-fault.ts). While a disk_full anomaly holds,
 * the operations that store object bytes are refused before their bodies are read.
 */
import type { Rule } from "../../../../shared/faults/rule";
import { BYTE_WRITES, diskFullS3Error } from "../../../../shared/faults/disk-full";
import { rulesSource, serviceGate } from "../../../../shared/faults/service-gate";
import { S3Error } from "../../../../shared/s3-errors";
import { authenticate } from "../auth/authenticate";
import { discardUnreadBody } from "../body/discard-body";
import { gatewayConfig } from "../config";
import { preflight } from "../cors/preflight";
import { applyFault, markFaults } from "../faults/apply-fault";
import { metadataHop } from "../faults/hops";
import { requestFacts } from "../faults/request-facts";
import { lookUpCors, withCorsHeaders, type CorsLookup } from "../cors/response-headers";
import { newRequestId } from "../request-id";
import { addressOf } from "./address";
import { withHoistedHeaders } from "./hoisted-headers";
import type { Handler, S3Context } from "./context";
import { OPERATIONS } from "./dispatch";
import { detectOperation } from "./operations";
import { renderError, renderResult, type ResponseContext } from "./render";

export async function handleS3(received: Request, env: GatewayEnv, exec: ExecutionContext): Promise<Response> {
  const rc: ResponseContext = { requestId: newRequestId(), method: received.method, resource: "/" };
  let request = received;
  let cors: CorsLookup | undefined;
  try {
    const config = gatewayConfig(env);
    const target = addressOf(request, config.baseDomain);
    rc.resource = target.bucket ? `/${target.bucket}${target.key ? `/${target.key}` : ""}` : "/";
    if (request.method === "OPTIONS") return renderResult(await preflight(request, target, env), rc);
    cors = lookUpCors(request, target, env);
    const { identity, payload } = authenticate(request, target, config);
    if (target.query.has("X-Amz-Signature")) request = withHoistedHeaders(request, target.query);
    const operation = detectOperation(request.method, request.headers, target);
    if (!operation.implemented) throw new S3Error("NotImplemented", `${operation.name} is not implemented by MockS3.`);
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
      caller: { ownerId: identity.ownerId },
      payload,
    };
    const loading = serviceGate.ready(rulesSource(env), waitUntil);
    if (loading) await loading;
    const full = BYTE_WRITES.has(operation.name) ? serviceGate.diskFull() : undefined;
    if (full) throw diskFullS3Error(full);
    const handler = OPERATIONS[operation.name];
    if (!serviceGate.has("gateway", "metadata-service", "storage-service")) return await withCorsHeaders(renderResult(await handler(ctx), rc), request, cors);
    const facts = requestFacts(ctx, operation.name);
    const touched: Rule[] = [];
    if (serviceGate.has("storage-service")) ctx.faultFacts = facts;
    // metadata-service is reached from inside the handler: after the gateway's own rule
    const run: Handler = async (c) => {
      await metadataHop(facts, waitUntil, touched);
      return handler(c);
    };
    const respond = (body?: Request) => answer(run, body ? { ...ctx, request: body } : ctx, rc);
    const injection = serviceGate.check("gateway", facts, waitUntil);
    const response = await (injection ? applyFault({ injection, ctx, respond }) : respond());
    return await withCorsHeaders(markFaults(response, touched), request, cors);
  } catch (error) {
    await discardUnreadBody(request);
    return withCorsHeaders(renderError(error, rc), request, cors);
  }
}

/** The handler's answer or its error, rendered: what a fault action wraps. */
async function answer(handler: Handler, ctx: S3Context, rc: ResponseContext): Promise<Response> {
  try {
    return renderResult(await handler(ctx), rc);
  } catch (error) {
    await discardUnreadBody(ctx.request);
    return renderError(error, rc);
  }
}
