/** queue-service's settings (its wrangler [vars], MOCKS3_* from the environment under `npm start`). */

export interface QueueSettings {
  /** the sidecar's search index and dead-letter store */
  indexUrl: string;
  /** webhook delivery attempts in all, the first included */
  maxAttempts: number;
  /** the first retry's delay; each next one doubles, up to MAX_RETRY_SECONDS */
  retrySeconds: number;
  /** how long one attempt may take */
  timeoutMs: number;
}

/** Cloudflare Queues' longest delay is 12 hours; deliveries wait at most 5 minutes between attempts. */
export const MAX_RETRY_SECONDS = 300;

/** The variables, as a worker's env has them (also read by `npm start`, which refuses bad values). */
export interface QueueVars {
  MOCKS3_INDEX_URL?: string;
  MOCKS3_WEBHOOK_MAX_ATTEMPTS?: string;
  MOCKS3_WEBHOOK_RETRY_SECONDS?: string;
  MOCKS3_WEBHOOK_TIMEOUT_MS?: string;
}

let cached: { vars: QueueVars; settings: QueueSettings } | undefined;

export function queueSettings(vars: QueueVars): QueueSettings {
  if (cached?.vars === vars) return cached.settings;
  const settings = {
    indexUrl: (vars.MOCKS3_INDEX_URL ?? "").replace(/\/+$/, ""),
    maxAttempts: count(vars.MOCKS3_WEBHOOK_MAX_ATTEMPTS ?? "5", "MOCKS3_WEBHOOK_MAX_ATTEMPTS", 1, 20),
    retrySeconds: count(vars.MOCKS3_WEBHOOK_RETRY_SECONDS ?? "1", "MOCKS3_WEBHOOK_RETRY_SECONDS", 0, MAX_RETRY_SECONDS),
    timeoutMs: count(vars.MOCKS3_WEBHOOK_TIMEOUT_MS ?? "5000", "MOCKS3_WEBHOOK_TIMEOUT_MS", 100, 60_000),
  };
  cached = { vars, settings };
  return settings;
}

/** The delay before attempt `next` (2 for the first retry): retrySeconds doubled per retry, capped. */
export function retryDelaySeconds(settings: QueueSettings, next: number): number {
  return Math.min(MAX_RETRY_SECONDS, settings.retrySeconds * 2 ** Math.max(0, next - 2));
}

function count(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}
