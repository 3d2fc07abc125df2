/**
 * POST /window: the experiments runner's samples of the services' traffic (the protocol in
 * shared/experiments/traffic-window.ts, the tallies in traffic-windows.ts). The body is checked
 * whole; a malformed one is refused with 400 and the reason, never a 500.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { WindowRequest } from "../../shared/experiments/traffic-window";
import { KEPT_MS, type TrafficWindows } from "./traffic-windows";

const MAX_QUERIES = 64;

const cursor = z.object({ epoch: z.number(), seq: z.number().int().min(0) });

const query = z.object({
  key: z.string(),
  service: z.string(),
  operation: z.string().optional(),
  bucket: z.string().optional(),
  rule: z.string().optional(),
  window_ms: z.number().min(1).max(KEPT_MS),
});

const windowRequest = z.object({ since: cursor.nullable().default(null), queries: z.array(query).max(MAX_QUERIES) });

export function windowApi(windows: TrafficWindows): Hono {
  return new Hono().post("/window", async (c) => {
    const request = readWindowRequest(await c.req.text());
    if (typeof request === "string") return c.json({ error: "bad_request", reason: request }, 400);
    return c.json(windows.query(request));
  });
}

/** The request, or why it is not one. */
function readWindowRequest(text: string): WindowRequest | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `the body is not valid JSON (${(error as Error).message})`;
  }
  const parsed = windowRequest.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`;
}
