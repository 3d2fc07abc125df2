/**
 * The search index sidecar as a worker calls it (MOCKS3_INDEX_URL). Its answers pass through
 * as they are, refusals (400) included; an index that cannot be reached is a 503 with the
 * reason, so a caller's queue message is retried and an API caller learns what to start.
 */
import { bearer } from "../control/bearer";
import { sidecarAbsent } from "../sidecar-absent";

export class IndexUnavailable extends Error {}

/** `token`: MOCKS3_CONTROL_TOKEN, which the sidecar asks of every caller when it is set. */
export async function indexFetch(indexUrl: string, path: string, token: string | undefined, init: RequestInit = {}): Promise<Response> {
  if (!indexUrl) throw new IndexUnavailable(sidecarAbsent("the search index", "MOCKS3_INDEX_URL"));
  try {
    return await fetch(`${indexUrl}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...bearer(token) } });
  } catch (error) {
    throw new IndexUnavailable(`the search index at ${indexUrl} cannot be reached (${String(error)}); npm start runs it in the sidecar`);
  }
}

/** POSTs JSON and fails unless the index took it. */
export async function indexPost(indexUrl: string, path: string, body: unknown, token: string | undefined): Promise<void> {
  const response = await indexFetch(indexUrl, path, token, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new IndexUnavailable(`the search index refused ${path}: ${response.status} ${await response.text()}`);
  await response.body?.cancel();
}

/** An API answer: the index's own, or 503 with the reason it cannot be asked. */
export async function indexAnswer(indexUrl: string, path: string, token: string | undefined): Promise<Response> {
  try {
    const response = await indexFetch(indexUrl, path, token);
    return new Response(response.body, { status: response.status, headers: { "content-type": response.headers.get("content-type") ?? "application/json" } });
  } catch (error) {
    if (!(error instanceof IndexUnavailable)) throw error;
    return Response.json({ error: "IndexUnavailable", message: error.message }, { status: 503 });
  }
}
