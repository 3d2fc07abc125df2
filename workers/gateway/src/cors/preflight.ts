/**
 * The browser's preflight: `OPTIONS` on a bucket or object URL, answered from the bucket's
 * CORS rules. Browsers never sign a preflight, so it is answered before authentication and
 * whatever MOCKS3_AUTH says; a presigned URL's query is ignored, as S3 ignores it. The key is
 * not looked up: a preflight for an object that does not exist succeeds.
 *
 * S3's answers, checked in this order:
 * - no `Origin` → 400 BadRequest "Insufficient information. Origin request header needed.";
 * - no such bucket → 403 AccessForbidden "CORSResponse: Bucket not found";
 * - no CORS configuration → 403 AccessForbidden "CORSResponse: CORS is not enabled for this
 *   bucket." (ResourceType BUCKET even on an object URL, as S3 answers);
 * - `Access-Control-Request-Method` missing or not one of the five CORS methods → 400
 *   BadRequest "Invalid Access-Control-Request-Method: null" (or the method sent);
 * - no rule matching origin, method and requested headers → 403 AccessForbidden "This CORS
 *   request is not allowed…";
 * - else 200, no body, with the rule's headers (response-headers.ts).
 * The 403 documents carry `Method` (the requested method, OPTIONS when none was) and
 * `ResourceType` (BUCKET or OBJECT), as S3's do.
 */
import type { CorsRule } from "../../../../shared/cors";
import { S3Error, isFailure } from "../../../../shared/s3-errors";
import type { RawTarget } from "../s3/address";
import type { S3Result } from "../s3/context";
import { CORS_METHODS } from "./configuration";
import { matchRule, requestedHeaders } from "./match";
import { corsHeaders } from "./response-headers";

export async function preflight(request: Request, target: RawTarget, env: GatewayEnv): Promise<S3Result> {
  const origin = request.headers.get("origin");
  if (origin === null) throw new S3Error("BadRequest", "Insufficient information. Origin request header needed.");
  const method = request.headers.get("access-control-request-method");
  // without a message: the table's AccessForbidden one, S3's "This CORS request is not allowed"
  const forbidden = (message: string | undefined, resourceType: "BUCKET" | "OBJECT") => new S3Error("AccessForbidden", message, { Method: method ?? "OPTIONS", ResourceType: resourceType });

  const found = target.bucket ? await env.BUCKET.getByName(target.bucket).getCors() : undefined;
  if (found === undefined || isFailure(found)) throw forbidden("CORSResponse: Bucket not found", "BUCKET");
  const rules: CorsRule[] | null = found;
  if (!rules) throw forbidden("CORSResponse: CORS is not enabled for this bucket.", "BUCKET");
  if (method === null || !CORS_METHODS.includes(method)) throw new S3Error("BadRequest", `Invalid Access-Control-Request-Method: ${method}`);

  const headers = requestedHeaders(request.headers.get("access-control-request-headers"));
  const match = matchRule(rules, { origin, method, headers });
  if (!match) throw forbidden(undefined, target.key ? "OBJECT" : "BUCKET");
  return { headers: corsHeaders(match, origin, headers) };
}
