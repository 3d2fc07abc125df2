/**
 * The storage node API (storage-service, 8082) — the control plane, never touched by faults:
 *
 *   GET  /api/v1/nodes             every node (state, blobs, bytes, used_bytes, capacity_bytes,
 *                                  backlog), the replica count and the whole backlog
 *   GET  /api/v1/nodes/{name}      one node
 *   POST /api/v1/nodes/{name}/down the node refuses every data call, as if unreachable, until
 *   POST /api/v1/nodes/{name}/up   marked up; then its backlog is carried out
 *
 * Both states survive restarts. An unknown node answers 404.
 */
import { Hono, type Context } from "hono";
import { Cluster } from "./cluster";
import { clusterReport, nodeEntry } from "./cluster-report";

type Env = { Bindings: StorageEnv };

export const nodeApi = new Hono<Env>()
  .get("/api/v1/nodes", async (c) => c.json(await clusterReport(new Cluster(c.env))))
  .get("/api/v1/nodes/:name", async (c) => {
    const cluster = new Cluster(c.env);
    const name = c.req.param("name");
    if (!cluster.names.includes(name)) return noSuchNode(c, cluster, name);
    return c.json(await nodeEntry(cluster, name, await cluster.control().backlog()));
  })
  .post("/api/v1/nodes/:name/:state{down|up}", async (c) => {
    const cluster = new Cluster(c.env);
    const name = c.req.param("name");
    if (!cluster.names.includes(name)) return noSuchNode(c, cluster, name);
    await cluster.control().setNodeDown(name, c.req.param("state") === "down");
    return c.json(await nodeEntry(cluster, name, await cluster.control().backlog()));
  });

function noSuchNode(c: Context<Env>, cluster: Cluster, name: string) {
  const last = cluster.names[cluster.names.length - 1];
  return c.json({ error: "NoSuchNode", message: `There is no storage node ${JSON.stringify(name)}: the nodes are node-0 to ${last}.` }, 404);
}
