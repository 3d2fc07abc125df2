import { describe, expect, inject, it } from "vitest";

describe("health", () => {
  const services = inject("services");

  it.each(Object.keys(services))("%s › GET /health answers 200 with a JSON status", async (name) => {
    const response = await fetch(`${services[name]}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; service: string };
    expect(body).toMatchObject({ status: "ok", service: name });
  });

  it("storage-service › /health reports every storage node", async () => {
    const body = (await (await fetch(`${services["storage-service"]}/health`)).json()) as { nodes: Array<{ name: string; bytes: number }> };
    expect(body.nodes.map((n) => n.name)).toEqual(["node-0", "node-1", "node-2"]);
    for (const node of body.nodes) expect(node.bytes).toBeGreaterThanOrEqual(0);
  });
});
