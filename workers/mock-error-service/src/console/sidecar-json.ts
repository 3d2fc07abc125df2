/** A GET of the anomalies sidecar's API (its feed and totals) for the console. */
import { sidecarFetch, sidecarUrl } from "../anomaly-sidecar";

/** The sidecar's answer as JSON, or undefined when it cannot be asked (wrangler dev, or down). */
export async function sidecarJson<T>(env: MockErrorEnv, path: string): Promise<T | undefined> {
  if (!sidecarUrl(env)) return undefined;
  try {
    const answer = await sidecarFetch(env, path, { signal: AbortSignal.timeout(3000) });
    return answer.ok ? ((await answer.json()) as T) : undefined;
  } catch {
    return undefined;
  }
}
