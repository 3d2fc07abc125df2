/**
 * The CORS headers S3 sends for a matched rule, on a preflight and on an actual request.
 *
 * An actual request (any method but OPTIONS) that carries `Origin` is answered, success or
 * error alike, with the headers of the first rule matching its origin and method — the
 * method named by `Access-Control-Request-Method` when the request has one, as S3 does. A
 * request no rule matches is served unchanged, without CORS headers and without Vary: S3
 * refuses only preflights. A request without `Origin` is not a cross-origin one and costs
 * nothing here: the bucket's rules are looked up (one Durable Object call, made while the
 * handler runs) only when `Origin` is present.
 */
import type { CorsRule } from "../../../../shared/cors";
import { isFailure } from "../../../../shared/s3-errors";
import type { RawTarget } from "../s3/address";
import { matchRule, type CorsMatch } from "./match";

/** S3 sends this Vary on every answer a rule matched, preflight or not. */
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

/**
 * The headers of a matched rule. `allowHeaders` are the requested names a preflight echoes
 * (lowercase, in the order requested); an actual request has none.
 */
export function corsHeaders({ rule, anyOrigin }: CorsMatch, origin: string, allowHeaders: readonly string[] = []): Record<string, string> {
  const headers: Record<string, string> = {
    "access-control-allow-origin": anyOrigin ? "*" : origin,
    "access-control-allow-methods": rule.allowedMethods.join(", "),
    vary: VARY,
  };
  if (allowHeaders.length > 0) headers["access-control-allow-headers"] = allowHeaders.join(", ");
  if (rule.exposeHeaders.length > 0) headers["access-control-expose-headers"] = rule.exposeHeaders.join(", ");
  if (rule.maxAgeSeconds !== undefined) headers["access-control-max-age"] = String(rule.maxAgeSeconds);
  if (!anyOrigin) headers["access-control-allow-credentials"] = "true";
  return headers;
}

/** The bucket's rules, being fetched; null when it has none (or does not exist). */
export type CorsLookup = Promise<CorsRule[] | null>;

/** Starts looking up the bucket's rules if the request is cross-origin; else undefined. */
export function lookUpCors(request: Request, target: RawTarget, env: GatewayEnv): CorsLookup | undefined {
  if (!target.bucket || !request.headers.has("origin")) return undefined;
  // A failed lookup must not fail the request it decorates: it then gets no CORS headers.
  return env.BUCKET.getByName(target.bucket)
    .getCors()
    .then(
      (rules) => (isFailure(rules) ? null : rules),
      () => null,
    );
}

/**
 * Adds the matching rule's headers to an answer already rendered. Without a lookup (no
 * `Origin`) the answer is handed back as it is, not even through a promise.
 */
export function withCorsHeaders(response: Response, request: Request, lookup: CorsLookup | undefined): Response | Promise<Response> {
  if (!lookup) return response;
  return lookup.then((rules) => {
    const origin = request.headers.get("origin");
    if (!rules || origin === null) return response;
    const method = request.headers.get("access-control-request-method") ?? request.method;
    const match = matchRule(rules, { origin, method });
    if (!match) return response;
    for (const [name, value] of Object.entries(corsHeaders(match, origin))) response.headers.set(name, value);
    return response;
  });
}
