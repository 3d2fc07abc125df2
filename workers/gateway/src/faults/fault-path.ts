/**
 * An S3 request while some rule is in force on the gateway, metadata-service or
 * storage-service: its facts are gathered once, storage-service gets them with every call
 * (ctx.faultFacts), metadata-service's decision is taken as the handler starts (hops.ts),
 * and a gateway rule that takes the request decides its answer (apply-fault.ts). The answer
 * names the rules that touched it.
 */
import type { Rule } from "../../../../shared/faults/rule";
import type { RuleLookup } from "../../../../shared/faults/rule-index";
import { serviceGate } from "../../../../shared/faults/service-gate";
import type { Handler, S3Context } from "../s3/context";
import { renderRequestError, renderResult, type ResponseContext } from "../s3/render";
import { applyFault, markFaults } from "./apply-fault";
import { metadataHop } from "./hops";
import { requestFacts } from "./request-facts";

export async function answerWithFaults(handler: Handler, ctx: S3Context, operation: string, rc: ResponseContext, lookup: RuleLookup): Promise<Response> {
  const facts = requestFacts(ctx, operation, lookup);
  const touched: Rule[] = [];
  if (serviceGate.touches(["storage-service"], facts)) ctx.faultFacts = facts;
  // metadata-service is reached from inside the handler: after the gateway's own rule
  const run: Handler = async (c) => {
    await metadataHop(facts, ctx.waitUntil, touched);
    return handler(c);
  };
  const respond = (body?: Request) => answer(run, body ? { ...ctx, request: body } : ctx, rc);
  const injection = serviceGate.check("gateway", facts, ctx.waitUntil);
  return markFaults(await (injection ? applyFault({ injection, ctx, respond }) : respond()), touched);
}

/** The handler's answer or its error, rendered: what a fault action wraps. */
async function answer(handler: Handler, ctx: S3Context, rc: ResponseContext): Promise<Response> {
  try {
    return renderResult(await handler(ctx), rc);
  } catch (error) {
    return renderRequestError(error, ctx.request, rc);
  }
}
