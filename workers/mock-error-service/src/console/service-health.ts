/**
 * Every service's health as the console's overview shows it: up, degraded (storage-service
 * while a node is down) or down, with the reason — each service's own `/health` through its
 * binding, and the anomalies sidecar's over loopback.
 */
import { sidecarUrl } from "../anomaly-sidecar";
const TIMEOUT_MS = 3000;

export interface ServiceHealth {
  service: string;
  status: "up" | "degraded" | "down";
  reason?: string;
}

export async function serviceHealth(env: MockErrorEnv): Promise<ServiceHealth[]> {
  const bindings: Array<[string, Fetcher]> = [
    ["gateway", env.GATEWAY],
    ["metadata-service", env.METADATA],
    ["storage-service", env.STORAGE_API],
    ["queue-service", env.QUEUE],
    ["third-party-service", env.THIRD_PARTY],
  ];
  const sidecar = sidecarUrl(env);
  const checks = [
    ...bindings.map(([service, binding]) => check(service, () => binding.fetch("http://localhost/health", { signal: AbortSignal.timeout(TIMEOUT_MS) }))),
    Promise.resolve<ServiceHealth>({ service: "mock-error-service", status: "up" }),
    sidecar
      ? check("anomalies sidecar", () => fetch(`${sidecar}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) }))
      : Promise.resolve<ServiceHealth>({ service: "anomalies sidecar", status: "down", reason: "not run under wrangler dev (npm start runs it)" }),
  ];
  return Promise.all(checks);
}

async function check(service: string, ask: () => Promise<Response>): Promise<ServiceHealth> {
  try {
    const answer = await ask();
    const body = (await answer.json().catch(() => ({}))) as { status?: string; reason?: string; message?: string; nodes?: Array<{ name: string; state: string }> };
    if (!answer.ok) return { service, status: "down", reason: body.reason ?? body.message ?? `/health answered ${answer.status}` };
    if (body.status === "degraded") {
      const down = (body.nodes ?? []).filter((node) => node.state === "down").map((node) => node.name);
      return { service, status: "degraded", reason: down.length > 0 ? `${down.join(", ")} down` : (body.reason ?? "degraded") };
    }
    return { service, status: "up" };
  } catch (error) {
    return { service, status: "down", reason: String(error) };
  }
}
