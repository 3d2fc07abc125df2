/** The control APIs' request bodies and error answers (every service's /api/v1): JSON, and a 400 with the reason. */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === "") throw badRequest("the request has no JSON body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the body is not valid JSON (${(error as Error).message})`);
  }
}

export function badRequest(reason: string): HTTPException {
  return new HTTPException(400, { res: Response.json({ error: "bad_request", reason }, { status: 400 }) });
}

export function notFound(what: string): HTTPException {
  return new HTTPException(404, { res: Response.json({ error: "not_found", reason: `${what} does not exist` }, { status: 404 }) });
}

export function unavailable(reason: string): HTTPException {
  return new HTTPException(503, { res: Response.json({ error: "unavailable", reason }, { status: 503 }) });
}
