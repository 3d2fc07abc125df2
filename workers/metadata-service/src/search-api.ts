/**
 * `GET /api/v1/search`: objects by bucket, key prefix, tag, user metadata, content type, size
 * and time, in pages — answered by the search index (libSQL, in the sidecar), which
 * queue-service keeps up to date from the buckets' object events. The query's parameters and
 * their refusals are the index's (sidecars/search-index/search-query.ts).
 */
import { Hono } from "hono";
import { controlPolicy } from "../../../shared/control/guard";
import { indexAnswer } from "../../../shared/search-index/client";

export const searchApi = new Hono<{ Bindings: MetadataEnv }>().get("/api/v1/search", (c) =>
  indexAnswer(c.env.MOCKS3_INDEX_URL.replace(/\/+$/, ""), `/search${new URL(c.req.url).search}`, controlPolicy(c.env).token),
);
