/**
 * What the console's live view and traffic chart read from the sidecar, which sees every log
 * line the workers print (the stack hands them over for the metrics):
 *
 *   GET /live?after=N&limit=M   the lines kept after sequence number N (injections, deliveries,
 *                               and request lines, at most REQUESTS_PER_SECOND of them each
 *                               second so a load test cannot flood a browser), oldest first
 *   GET /traffic                requests and errors so far per service and per S3 operation,
 *                               summed from the metrics' http_requests_total (request-metrics.ts)
 *
 * Health checks and the control plane (every /api/v1 route, all of mock-error-service: the
 * console's own reads among them) are left out of both.
 *
 * The ring holds the latest CAPACITY lines; a reader that fell further behind is told how many
 * it missed. Nothing here grows with traffic: the ring is fixed.
 */
import { Hono } from "hono";
import type { LogLine } from "../../shared/telemetry/log-line";

const CAPACITY = 2_000;
const REQUESTS_PER_SECOND = 50;
const MAX_READ = 500;

export interface LiveEntry {
  seq: number;
  line: LogLine;
}

interface Totals {
  service: string;
  operation: string;
  requests: number;
  client_errors: number;
  server_errors: number;
}

export class LiveFeed {
  private readonly ring: Array<LiveEntry | undefined> = new Array(CAPACITY);
  private seq = 0;
  private second = 0;
  private requestsThisSecond = 0;
  /** request lines not kept because a second already had REQUESTS_PER_SECOND of them */
  private sampledOut = 0;

  add(line: LogLine): void {
    if (line.kind === "request") {
      if (!watched(line.service, line.operation)) return;
      const second = Math.floor(Date.now() / 1000);
      if (second !== this.second) [this.second, this.requestsThisSecond] = [second, 0];
      if (++this.requestsThisSecond > REQUESTS_PER_SECOND) {
        this.sampledOut++;
        return;
      }
    }
    this.seq++;
    this.ring[this.seq % CAPACITY] = { seq: this.seq, line };
  }

  read(after: number, limit = MAX_READ): { next: number; missed: number; sampled_out: number; lines: LiveEntry[] } {
    const oldest = Math.max(1, this.seq - CAPACITY + 1);
    // a reader from before a restart (after > seq) starts over with what is kept
    const from = after > this.seq ? oldest : Math.max(after + 1, oldest);
    const missed = after > this.seq ? 0 : Math.max(0, oldest - after - 1);
    const to = Math.min(this.seq, from + Math.min(limit, MAX_READ) - 1);
    const lines: LiveEntry[] = [];
    for (let seq = from; seq <= to; seq++) lines.push(this.ring[seq % CAPACITY]!);
    return { next: to >= from ? to : Math.min(after, this.seq), missed, sampled_out: this.sampledOut, lines };
  }
}

/**
 * Whether a request is traffic a chaos test watches: probes and the control plane (the
 * console's own reads among them) are neither fed nor counted — here nor in the
 * experiments' traffic windows (traffic-windows.ts).
 */
export function watched(service: string, operation: string): boolean {
  return operation !== "/health" && !operation.startsWith("/api/v1") && service !== "mock-error-service";
}

/** http_requests_total's values, per service and (for the gateway) S3 operation, by status class. */
export function trafficOf(counted: ReadonlyArray<{ labels: Partial<Record<string, string | number>>; value: number }>): { at: number; totals: Totals[] } {
  const totals = new Map<string, Totals>();
  for (const { labels, value } of counted) {
    const service = String(labels.service);
    if (!watched(service, String(labels.operation))) continue;
    const operation = service === "gateway" ? String(labels.operation) : "";
    const name = `${service} ${operation}`;
    let entry = totals.get(name);
    if (!entry) totals.set(name, (entry = { service, operation, requests: 0, client_errors: 0, server_errors: 0 }));
    const status = Number(labels.status);
    entry.requests += value;
    if (status >= 500) entry.server_errors += value;
    else if (status >= 400) entry.client_errors += value;
  }
  return { at: Date.now(), totals: [...totals.values()] };
}

/** `traffic`: the totals of /traffic, read when asked. */
export function liveApi(feed: LiveFeed, traffic: () => Promise<ReturnType<typeof trafficOf>>): Hono {
  return new Hono()
    .get("/live", (c) => {
      const after = Number(c.req.query("after") ?? 0);
      const limit = Number(c.req.query("limit") ?? MAX_READ);
      if (!Number.isSafeInteger(after) || after < 0) return c.json({ error: "bad_request", reason: "after must be a sequence number (0 or more)" }, 400);
      if (!Number.isInteger(limit) || limit < 1) return c.json({ error: "bad_request", reason: `limit must be an integer from 1 to ${MAX_READ}` }, 400);
      return c.json(feed.read(after, limit));
    })
    .get("/traffic", async (c) => c.json(await traffic()));
}
