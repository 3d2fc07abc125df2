/** The control APIs' request bodies and error answers (every service's /api/v1): JSON, and a 400 with the reason. */
import type { Context, Hono } from "hono";
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

export function conflict(reason: string): HTTPException {
  return new HTTPException(409, { res: Response.json({ error: "conflict", reason }, { status: 409 }) });
}

export function unavailable(reason: string): HTTPException {
  return new HTTPException(503, { res: Response.json({ error: "unavailable", reason }, { status: 503 }) });
}

/** A control API's answers to an unknown route (404) and to a handler's failure (500, logged), both JSON with the reason. */
export function withErrorAnswers<E extends object>(app: Hono<E>, service: string): Hono<E> {
  app.notFound((c) => c.json({ error: "not_found", reason: `no route for ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    console.error(JSON.stringify({ level: "error", msg: `${service} failed`, error: String(error), stack: (error as Error).stack }));
    return c.json({ error: "internal", reason: String(error) }, 500);
  });
  return app;
}
