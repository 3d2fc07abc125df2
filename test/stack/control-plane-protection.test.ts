/**
 * The control plane's protection on the running stack (shared/control/guard.ts): what a web
 * page could send — a cross-site form or `text/plain` POST, a DNS-rebinding request with its
 * own Host — is refused on every service's /api/v1 and the anomalies sidecar, and creates
 * nothing; curl-style requests (no Origin, JSON) work as before. The token is tested on a
 * stack of its own (test/exclusive/console.test.ts).
 */
import { describe, expect, inject, it } from "vitest";
import { rawRequest } from "../helpers/raw-http";

const services = inject("services");
const api = services["mock-error-service"]!;
const sidecar = `http://127.0.0.1:${Number(new URL(api).port) + 5}`;
const ruleBody = (name: string) => JSON.stringify({ name, service: "gateway", conditions: [{ type: "bucket", value: "protection-test-none" }], action: { type: "slow_down" } });

async function ruleNames(): Promise<string[]> {
  const listed = (await (await fetch(`${api}/api/v1/rules`)).json()) as { rules?: Array<{ name: string }> } | Array<{ name: string }>;
  return (Array.isArray(listed) ? listed : (listed.rules ?? [])).map((rule) => rule.name);
}

describe("control-plane protection", () => {
  it("control-plane protection › a cross-site POST (another Origin, text/plain) is refused and creates no rule", async () => {
    const name = `cross-site ${Date.now()}`;
    const crossSite = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "text/plain" }, body: ruleBody(name) });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { reason: string }).reason).toContain("http://evil.example");
    const plain = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { "content-type": "text/plain" }, body: ruleBody(name) });
    expect(plain.status).toBe(415);
    const form = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: `x=${encodeURIComponent(ruleBody(name))}` });
    expect(form.status).toBe(415);
    const halt = await fetch(`${api}/api/v1/halt`, { method: "POST", headers: { origin: "http://127.0.0.1:3000" } });
    expect(halt.status).toBe(403);
    expect(await ruleNames()).not.toContain(name);
  });

  it("control-plane protection › curl-style changes (no Origin, JSON) and the console's own origin still work", async () => {
    const name = `curl-style ${Date.now()}`;
    const created = await fetch(`${api}/api/v1/rules`, { method: "POST", headers: { "content-type": "application/json" }, body: ruleBody(name) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const sameOrigin = await fetch(`${api}/api/v1/rules/${id}/disable`, { method: "POST", headers: { origin: new URL(api).origin } });
    expect(sameOrigin.status).toBe(200);
    expect((await fetch(`${api}/api/v1/rules/${id}`, { method: "DELETE" })).status).toBe(204);
  });

  it("control-plane protection › a request with a foreign Host (DNS rebinding) is refused by every control API and the console", async () => {
    const targets = [
      [api, "/api/v1/rules"],
      [api, "/api/v1/stats"],
      [api, "/console"],
      [services["metadata-service"]!, "/api/v1/buckets"],
      [services["storage-service"]!, "/api/v1/nodes"],
      [services["queue-service"]!, "/api/v1/dead-letters"],
      [services["third-party-service"]!, "/api/v1/upstreams"],
      [sidecar, "/anomalies"],
    ] as const;
    for (const [origin, path] of targets) {
      const port = new URL(origin).port;
      const rebound = await rawRequest({ origin, method: "GET", path, headers: { host: `rebind.evil.example:${port}` } });
      expect(rebound.status, `${origin}${path}`).toBe(403);
      expect(rebound.body, `${origin}${path}`).toContain("MOCKS3_CONTROL_HOSTS");
      const local = await rawRequest({ origin, method: "GET", path, headers: { host: `localhost:${port}` } });
      expect(local.status, `${origin}${path} as localhost`).toBe(200);
    }
    // a rebinding page's change: refused, and nothing is created
    const name = `rebound ${Date.now()}`;
    const port = new URL(api).port;
    const change = await rawRequest({
      origin: api,
      method: "POST",
      path: "/api/v1/rules",
      headers: { host: `rebind.evil.example:${port}`, origin: `http://rebind.evil.example:${port}`, "content-type": "application/json" },
      body: ruleBody(name),
    });
    expect(change.status).toBe(403);
    expect(await ruleNames()).not.toContain(name);
    // health and metrics stay open: probes and Prometheus know no token and no Host list
    expect((await rawRequest({ origin: sidecar, method: "GET", path: "/health", headers: { host: "prometheus:9090" } })).status).toBe(200);
  });

  it("control-plane protection › the anomalies sidecar refuses cross-site and non-JSON changes", async () => {
    const body = JSON.stringify({ name: "x", service: "gateway", metric_name: "system_cpu_usage_percent", anomaly_type: "cpu_spike", target_value: 50, duration: "1s", enabled: false });
    const crossSite = await fetch(`${sidecar}/anomalies`, { method: "POST", headers: { origin: "http://evil.example", "content-type": "application/json" }, body });
    expect(crossSite.status).toBe(403);
    const plain = await fetch(`${sidecar}/anomalies`, { method: "POST", headers: { "content-type": "text/plain" }, body });
    expect(plain.status).toBe(415);
    const halt = await fetch(`${sidecar}/halt`, { method: "POST", headers: { origin: "null" } });
    expect(halt.status).toBe(403);
  });
});
