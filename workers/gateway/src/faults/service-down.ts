/**
 * The gateway's answer while it is down (service_down): its health check gets the JSON every
 * service gives, an S3 request gets S3's ServiceUnavailable error document, which SDKs parse
 * and retry. In mode `refuse` the front door turns clients away before they get here; this
 * answers whatever reaches the worker some other way.
 */
import type { Context } from "hono";
import type { FaultService } from "../../../../shared/faults/fault-services";
import { downJson, downS3Error } from "../../../../shared/faults/service-down";
import type { DownState } from "../../../../shared/faults/service-states";
import { newRequestId } from "../request-id";
import { renderError } from "../s3/render";

export function gatewayDown(isHealthCheck: (request: Request, env: GatewayEnv) => boolean) {
  return function gatewayDown(c: Context<{ Bindings: GatewayEnv }>, service: FaultService, down: DownState): Response {
    if (isHealthCheck(c.req.raw, c.env)) return downJson(c, service, down);
    const rc = { requestId: newRequestId(), method: c.req.method, resource: new URL(c.req.url).pathname };
    return renderError(downS3Error(service, down), rc);
  };
}
