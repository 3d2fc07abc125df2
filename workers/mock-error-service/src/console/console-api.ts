/**
 * `/api/v1/console/*`: what the console reads besides the rule and anomaly APIs, gathered
 * here so that the page talks to its own origin only (the control plane refuses other
 * origins' changes, shared/control/guard.ts):
 *
 *   GET  overview                       every service's health, the storage nodes, traffic totals
 *   GET  live?service=&rule=&action=&bucket=&operation=&after=
 *                                       server-sent events: injections and request lines as they
 *                                       are logged (the sidecar's feed, live-feed.ts)
 *   POST nodes/{name}/{down|up}         storage-service's node switch
 *   GET  buckets                        every bucket (metadata-service)
 *   GET  buckets/{b}/objects?prefix=&after=   a page of keys and folders
 *   GET  buckets/{b}/object?key=        an object's metadata, tags and versions
 *   GET  buckets/{b}/download?key=      its bytes
 *   GET  buckets/{b}/settings           notifications, CORS, versioning, read-through upstream
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { badRequest } from "../../../../shared/json-body";
import { serviceHealth } from "./service-health";
import { bucketSettings, describeObject, listObjects, S3Browser } from "./s3-browser";
import { liveLines, type LiveFilter } from "./live-lines";
import { sidecarJson } from "./sidecar-json";
import { internal } from "../internal-call";

export const consoleApi = new Hono<{ Bindings: MockErrorEnv }>();

/** Another service's JSON answer, status and all, as the console's. */
function passedOn(answer: Response): Response {
  return new Response(answer.body, { status: answer.status, headers: { "content-type": "application/json" } });
}

consoleApi.get("/overview", async (c) => {
  const [services, nodes, traffic] = await Promise.all([
    serviceHealth(c.env),
    internal(c.env, c.env.STORAGE_API, "/api/v1/nodes").then(
      (r) => (r.ok ? r.json() : { error: `storage-service answered ${r.status}` }),
      (error: unknown) => ({ error: String(error) }),
    ),
    sidecarJson(c.env, "/traffic"),
  ]);
  return c.json({ services, nodes, traffic: traffic ?? null });
});

consoleApi.post("/nodes/:name/:state{down|up}", async (c) => {
  const answer = await internal(c.env, c.env.STORAGE_API, `/api/v1/nodes/${encodeURIComponent(c.req.param("name"))}/${c.req.param("state")}`, { method: "POST" });
  return passedOn(answer);
});

consoleApi.get("/live", (c) => {
  const filter: LiveFilter = {};
  for (const name of ["service", "rule", "action", "bucket", "operation"] as const) {
    const value = c.req.query(name)?.trim();
    if (value) filter[name] = value;
  }
  const after = Number(c.req.query("after") ?? 0);
  if (!Number.isSafeInteger(after) || after < 0) throw badRequest("after must be a sequence number (0 or more)");
  return streamSSE(c, (stream) => liveLines(c.env, stream, filter, after));
});

consoleApi.get("/buckets", async (c) => {
  const answer = await internal(c.env, c.env.METADATA, "/api/v1/buckets");
  return passedOn(answer);
});

consoleApi.get("/buckets/:bucket/objects", async (c) => {
  const { status, listing, error } = await listObjects(new S3Browser(c.env), c.req.param("bucket"), c.req.query("prefix") ?? "", c.req.query("after"));
  return listing ? c.json(listing) : c.json({ error: "s3_error", reason: error }, status === 404 ? 404 : 502);
});

consoleApi.get("/buckets/:bucket/object", async (c) => {
  const key = c.req.query("key");
  if (!key) throw badRequest("key is required");
  const { status, object, error } = await describeObject(new S3Browser(c.env), c.req.param("bucket"), key);
  return object ? c.json(object) : c.json({ error: "s3_error", reason: error }, status === 404 ? 404 : 502);
});

consoleApi.get("/buckets/:bucket/download", async (c) => {
  const key = c.req.query("key");
  if (!key) throw badRequest("key is required");
  const answer = await new S3Browser(c.env).send("GET", c.req.param("bucket"), key);
  if (answer.status !== 200) return new Response(answer.body, { status: answer.status, headers: { "content-type": "application/xml" } });
  const name = key.split("/").pop() || "object";
  const headers = new Headers({ "content-type": answer.headers.get("content-type") ?? "application/octet-stream", "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}` });
  const length = answer.headers.get("content-length");
  if (length !== null) headers.set("content-length", length);
  return new Response(answer.body, { headers });
});

consoleApi.get("/buckets/:bucket/settings", async (c) => {
  const bucket = c.req.param("bucket");
  const [settings, upstream] = await Promise.all([
    bucketSettings(new S3Browser(c.env), bucket),
    internal(c.env, c.env.THIRD_PARTY, `/api/v1/upstreams/${encodeURIComponent(bucket)}`).then((r) => (r.ok ? r.json() : null)),
  ]);
  return c.json({ bucket, ...settings, upstream });
});
