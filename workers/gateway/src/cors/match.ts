/**
 * Which CORS rule a request matches. As S3 does, the first rule wins whose
 * - AllowedOrigin matches the Origin: exactly, `*`, or a pattern with one `*` that stands
 *   for any run of characters, the empty one too (`http://*.example.com`, `start*end`),
 *   anchored at both ends and case-sensitive (S3 compares scheme, host and port as sent:
 *   `http://www.example.com:80` does not match `http://www.example.com`);
 * - AllowedMethod holds the method (Access-Control-Request-Method, or the request's own);
 * - AllowedHeader covers every name of Access-Control-Request-Headers, compared without
 *   regard to case; `*` or one `*` inside works as for origins. A rule without AllowedHeader
 *   allows no requested header. An actual request's own headers are never checked.
 */
import type { CorsRule } from "../../../../shared/cors";

export interface CorsQuery {
  origin: string;
  method: string;
  /** requested header names, lowercase (preflights only) */
  headers?: readonly string[];
}

export interface CorsMatch {
  rule: CorsRule;
  /**
   * Only the rule's `*` admits the origin: S3 then answers `Access-Control-Allow-Origin: *`
   * and no `Access-Control-Allow-Credentials`.
   */
  anyOrigin: boolean;
}

export function matchRule(rules: readonly CorsRule[], query: CorsQuery): CorsMatch | undefined {
  for (const rule of rules) {
    if (!rule.allowedMethods.includes(query.method)) continue;
    if (!rule.allowedOrigins.some((pattern) => wildcardMatch(pattern, query.origin))) continue;
    if (!(query.headers ?? []).every((name) => allowsHeader(rule, name))) continue;
    const anyOrigin = !rule.allowedOrigins.some((pattern) => pattern !== "*" && wildcardMatch(pattern, query.origin));
    return { rule, anyOrigin };
  }
  return undefined;
}

/** Access-Control-Request-Headers as a list of lowercase names (empty items dropped). */
export function requestedHeaders(value: string | null): string[] {
  if (!value) return [];
  return value
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
}

function allowsHeader(rule: CorsRule, name: string): boolean {
  return rule.allowedHeaders.some((pattern) => wildcardMatch(pattern.toLowerCase(), name));
}

/** `pattern` holds at most one `*` (PutBucketCors refuses more). */
function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf("*");
  if (star < 0) return pattern === value;
  const prefix = pattern.slice(0, star);
  const suffix = pattern.slice(star + 1);
  return value.length >= prefix.length + suffix.length && value.startsWith(prefix) && value.endsWith(suffix);
}
