/** `GET /health` for every service: 200 and a small JSON status. */
import { Hono } from "hono";

const startedAt = Date.now();

export function healthApp<E extends object>(service: string, details?: (env: E) => Promise<Record<string, unknown>>) {
  return new Hono<{ Bindings: E }>().get("/health", async (c) => {
    const extra = details ? await details(c.env) : {};
    return c.json({ status: "ok", service, uptime_seconds: Math.round((Date.now() - startedAt) / 1000), ...extra });
  });
}
