/**
 * The control plane's protection (guard.ts) as Hono middleware, for the workers' `/api/v1`
 * routes and the console, and for the anomalies sidecar (Node) alike.
 */
import type { MiddlewareHandler } from "hono";
import { controlPolicy, refusalOf, type ControlVars } from "./guard";

/** `vars`: where the policy's variables are read from, per request (a worker's env, process.env). */
export function controlGuard(vars: (env: unknown) => ControlVars = (env) => env as ControlVars): MiddlewareHandler {
  return async (c, next) => {
    const refusal = refusalOf(c.req.method, c.req.raw.headers, controlPolicy(vars(c.env)));
    if (!refusal) return next();
    const headers: Record<string, string> = refusal.status === 401 ? { "www-authenticate": 'Bearer realm="mocks3 control plane"' } : {};
    return c.json({ error: refusal.error, reason: refusal.reason }, refusal.status, headers);
  };
}
