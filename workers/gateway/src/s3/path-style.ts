/**
 * Which requests the gateway answers before S3 addressing: the ones whose Host names no
 * virtual-hosted bucket, so that the path is the whole address (a virtual-hosted bucket's key
 * could be anything) — `GET /health` without a query, and `/_localstack/chaos/*` (no bucket
 * is named `_localstack`: a bucket's name starts with a letter or a digit).
 */

/** No bucket in the Host: the path is the whole address. */
export function isPathStyle(request: Request, env: { MOCKS3_BASE_DOMAIN: string }): boolean {
  const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "").toLowerCase();
  return !host.endsWith(`.${(env.MOCKS3_BASE_DOMAIN || "localhost").toLowerCase()}`);
}

/** The health check: `/health`, path-style, without a query. */
export function isHealthCheck(request: Request, env: { MOCKS3_BASE_DOMAIN: string }): boolean {
  return !request.url.includes("?") && isPathStyle(request, env);
}
