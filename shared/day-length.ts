/**
 * How long one of S3's days lasts here: MOCKS3_LIFECYCLE_DAY_SECONDS (default 86400), so that
 * a test can watch lifecycle rules and restored copies expire in seconds. Read by the gateway
 * (a restored copy's `Days`) and by each bucket's Durable Object (its lifecycle rules).
 */
const DEFAULT_SECONDS = 86_400;
const MAX_SECONDS = 10 * 365 * 86_400;

/** The day in milliseconds; throws on anything but a positive number of seconds (fractions allowed). */
export function dayMsOf(text: string | undefined, name = "MOCKS3_LIFECYCLE_DAY_SECONDS"): number {
  return positiveSeconds(name, text, DEFAULT_SECONDS) * 1000;
}

export function positiveSeconds(name: string, text: string | undefined, fallback: number): number {
  if (!text) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > MAX_SECONDS) throw new Error(`${name} must be a positive number of seconds, not ${JSON.stringify(text)}`);
  return n;
}
