import { describe, expect, inject, it } from "vitest";
import type { ClusterReport } from "../helpers/storage-nodes";

describe("health", () => {
  const services = inject("services");

  it.each(Object.keys(services))("%s › GET /health answers 200 with a JSON status", async (name) => {
    const response = await fetch(`${services[name]}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; service: string };
    expect(body).toMatchObject({ status: "ok", service: name });
  });

  it("storage-service › /health reports every storage node's state, usage and capacity, and the backlog", async () => {
    const body = (await (await fetch(`${services["storage-service"]}/health`)).json()) as ClusterReport;
    expect(body).toMatchObject({ replicas: 2, repair_backlog: expect.any(Number) });
    expect(body.nodes.map((n) => n.name)).toEqual(["node-0", "node-1", "node-2"]);
    for (const node of body.nodes) {
      expect(node).toMatchObject({ state: "up", capacity_bytes: 100 * 1024 ** 3, backlog: 0 });
      expect(node.bytes).toBeGreaterThanOrEqual(0);
      expect(node.used_bytes).toBeGreaterThanOrEqual(0);
    }
  });
});
