/**
 * The search index's HTTP API, mounted at /index on the sidecar (loopback): queue-service
 * writes (POST /apply, POST /dead-letters), metadata-service's GET /api/v1/search and
 * queue-service's GET /api/v1/dead-letters read, passing the answers through.
 */
import { Hono } from "hono";
import { readDeadLetters, readIndexUpdate } from "./bodies";
import { search } from "./search";
import { decodedQuery, parseSearchQuery, QueryError } from "./search-query";
import type { IndexStore } from "./store";

const MAX_DEAD_LETTERS_PAGE = 1000;

export function indexApi(store: IndexStore): Hono {
  return new Hono()
    .post("/apply", async (c) => {
      const update = readIndexUpdate(await c.req.text());
      if (!update.ok) return c.json({ error: "BadRequest", message: update.reason }, 400);
      await store.apply(update.value);
      return c.body(null, 204);
    })
    .get("/search", async (c) => {
      try {
        return c.json(await search(store, parseSearchQuery(decodedQuery(new URL(c.req.url).search))));
      } catch (error) {
        if (error instanceof QueryError) return c.json({ error: "InvalidQuery", message: error.message }, 400);
        throw error;
      }
    })
    .post("/dead-letters", async (c) => {
      const letters = readDeadLetters(await c.req.text());
      if (!letters.ok) return c.json({ error: "BadRequest", message: letters.reason }, 400);
      await store.addDeadLetters(letters.value);
      return c.body(null, 204);
    })
    .get("/dead-letters", async (c) => {
      const limit = Number(c.req.query("limit") ?? "100");
      const before = c.req.query("before");
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DEAD_LETTERS_PAGE)
        return c.json({ error: "InvalidQuery", message: `limit must be a whole number from 1 to ${MAX_DEAD_LETTERS_PAGE}` }, 400);
      if (before !== undefined && !/^\d+$/.test(before)) return c.json({ error: "InvalidQuery", message: "before must be the id of a dead letter" }, 400);
      const bucket = c.req.query("bucket");
      if (bucket !== undefined && (bucket.length > 255 || bucket.includes("\0"))) return c.json({ error: "InvalidQuery", message: "bucket is not a bucket name" }, 400);
      const rows = await store.listDeadLetters({ bucket, limit, before: before === undefined ? undefined : Number(before) });
      return c.json({
        dead_letters: rows.map((r) => ({
          id: r.id,
          bucket: r.bucket,
          key: r.key,
          event_name: r.eventName,
          destination: r.destination,
          configuration_id: r.configurationId,
          attempts: r.attempts,
          reason: r.reason,
          failed_at: new Date(r.failedAt).toISOString(),
          record: r.record,
        })),
      });
    })
    .get("/stats", async (c) => c.json(await store.counts()));
}
