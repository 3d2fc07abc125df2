/** third-party-service's upstream API (`/api/v1/upstreams`) from tests. */
import { inject } from "vitest";

export function thirdPartyUrl(): string {
  return inject("services")["third-party-service"]!;
}

export async function upstreamsApi(method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> {
  const response = await fetch(`${thirdPartyUrl()}/api/v1/upstreams${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}
