/**
 * queue-service's control API: the dead-letter record (from the search index, where
 * dead-letters.ts keeps it), and the sweep, which tells the consumer to look at every bucket's
 * outbox — `npm start` calls it once the stack is up, so that events left from before a
 * restart (Miniflare's queues live in memory) are handled.
 */
import { Hono } from "hono";
import { controlPolicy } from "../../../shared/control/guard";
import { indexAnswer } from "../../../shared/search-index/client";
import type { ObjectEventsMessage } from "../../../shared/notifications/object-events";
import { queueSettings } from "./settings";

const SWEEP_LIMIT = 100_000;
const SEND_BATCH = 100;

export const queueApi = new Hono<{ Bindings: QueueEnv }>()
  .get("/api/v1/dead-letters", (c) => indexAnswer(queueSettings(c.env).indexUrl, `/dead-letters${new URL(c.req.url).search}`, controlPolicy(c.env).token))
  .post("/api/v1/events/sweep", async (c) => {
    const { buckets } = await c.env.REGISTRY.getByName("registry").everyBucket(SWEEP_LIMIT);
    for (let i = 0; i < buckets.length; i += SEND_BATCH) {
      await c.env.OBJECT_EVENTS.sendBatch(buckets.slice(i, i + SEND_BATCH).map(({ name }) => ({ body: { bucket: name } satisfies ObjectEventsMessage })));
    }
    return c.json({ buckets: buckets.length }, 202);
  });
