/**
 * `/api/v1/upstreams`: a local bucket's upstream S3 source — set (PUT, 201 when new, 200
 * when replaced), read, list and delete. The secret access key is written, never read back.
 * A body that fails its checks (upstream-input.ts) is refused with 400 and the reason, and so
 * is an upstream that would be MockS3 itself (shared/own-sockets.ts).
 */
import { Hono } from "hono";
import { badRequest, jsonBody, notFound } from "../../../shared/json-body";
import { destinationRefusal } from "../../../shared/own-sockets";
import { objectUrl } from "./upstream-fetch";
import { checkUpstream, isLocalBucketName } from "./upstream-input";
import { upstreamsStore } from "./upstreams-store";

export const upstreamsApi = new Hono<{ Bindings: ThirdPartyEnv }>();

upstreamsApi.get("/", async (c) => {
  const upstreams = await upstreamsStore(c.env).list();
  return c.json({ upstreams, total: upstreams.length });
});

upstreamsApi.get("/:bucket", async (c) => {
  const view = await upstreamsStore(c.env).get(c.req.param("bucket"));
  if (!view) throw notFound(`the upstream of bucket ${c.req.param("bucket")}`);
  return c.json(view);
});

upstreamsApi.put("/:bucket", async (c) => {
  const bucket = c.req.param("bucket");
  if (!isLocalBucketName(bucket)) throw badRequest(`${JSON.stringify(bucket)} is not a valid bucket name`);
  const check = checkUpstream(await jsonBody(c));
  if (!check.ok) throw badRequest(check.reason);
  const refused = await destinationRefusal(c.env.MOCKS3_DESTINATION_GUARD, objectUrl(check.upstream, ""));
  if (refused) throw badRequest(`endpoint ${JSON.stringify(check.upstream.endpoint)}: ${refused}; an upstream cannot be MockS3 itself`);
  const { view, replaced } = await upstreamsStore(c.env).put(bucket, check.upstream);
  return c.json(view, replaced ? 200 : 201);
});

upstreamsApi.delete("/:bucket", async (c) => {
  if (!(await upstreamsStore(c.env).remove(c.req.param("bucket")))) throw notFound(`the upstream of bucket ${c.req.param("bucket")}`);
  return c.body(null, 204);
});
