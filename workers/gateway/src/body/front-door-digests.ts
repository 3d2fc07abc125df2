/**
 * The digests of a large body that the front door computed as the body passed, off
 * workerd's one JavaScript thread (shared/front-door-protocol.ts). A request without the
 * front door's ticket, or a stack without a front door (wrangler dev), has none: the
 * gateway hashes the body itself.
 */
import { BODY_DIGEST_HEADER, digestPath, type BodyDigestReport } from "../../../../shared/front-door-protocol";
import { S3Error } from "../../../../shared/s3-errors";

/** Fetches the report once the whole body has been read: it is filed before the last byte reaches the gateway. */
export type FrontDoorDigests = () => Promise<BodyDigestReport>;

export function frontDoorDigests(request: Request, env: GatewayEnv): FrontDoorDigests | undefined {
  const ticket = request.headers.get(BODY_DIGEST_HEADER);
  const control = env.MOCKS3_FRONT_DOOR_CONTROL;
  if (!ticket || !control) return undefined;
  return async () => {
    const response = await fetch(control + digestPath(ticket)).catch(() => undefined);
    if (response?.status === 200) return (await response.json()) as BodyDigestReport;
    await response?.body?.cancel();
    // a ticket the front door never gave (a request sent to the gateway's own socket), or it is stopping
    throw new S3Error("InternalError", "The body's digests could not be had from the front door.");
  };
}
