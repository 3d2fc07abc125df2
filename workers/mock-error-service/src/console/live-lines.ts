/**
 * The console's live events: the sidecar's feed of log lines (sidecars/anomalies/live-feed.ts)
 * read every POLL_MS while the browser listens, filtered, and sent as server-sent events:
 * `line` (a log line and its sequence number, the next read's `after`) and `status` (lines
 * missed or sampled out, or why there is no feed). A stream ends after MAX_STREAM_MS; the
 * console reconnects from the last sequence number it saw.
 */
import type { SSEStreamingApi } from "hono/streaming";
import type { LogLine } from "../../../../shared/telemetry/log-line";
import { sidecarJson } from "./sidecar-json";

const POLL_MS = 400;
const MAX_STREAM_MS = 5 * 60_000;

export interface LiveFilter {
  service?: string;
  rule?: string;
  action?: string;
  bucket?: string;
  operation?: string;
}

interface FeedPage {
  next: number;
  missed: number;
  sampled_out: number;
  lines: Array<{ seq: number; line: LogLine }>;
}

export async function liveLines(env: MockErrorEnv, stream: SSEStreamingApi, filter: LiveFilter, after: number): Promise<void> {
  const ends = Date.now() + MAX_STREAM_MS;
  let next = after;
  let reported = "";
  while (!stream.aborted && !stream.closed && Date.now() < ends) {
    const page = await sidecarJson<FeedPage>(env, `/live?after=${next}`);
    const status = page
      ? JSON.stringify({ missed: page.missed, sampled_out: page.sampled_out })
      : JSON.stringify({ error: "the live feed comes from the anomalies sidecar, which cannot be reached (npm start runs it)" });
    if (status !== reported) {
      await stream.writeSSE({ event: "status", data: status });
      reported = status;
    }
    for (const { seq, line } of page?.lines ?? []) {
      if (matches(line, filter)) await stream.writeSSE({ event: "line", id: String(seq), data: JSON.stringify({ seq, ...line }) });
    }
    if (page) next = page.next;
    await stream.sleep(POLL_MS);
  }
}

function matches(line: LogLine, filter: LiveFilter): boolean {
  if (line.kind === "anomaly") return false;
  const fields = line as unknown as Partial<Record<string, unknown>>;
  if (filter.service && line.service !== filter.service) return false;
  if (filter.bucket && fields.bucket !== filter.bucket) return false;
  if (filter.operation && fields.operation !== filter.operation) return false;
  if (filter.action && fields.fault_action !== filter.action) return false;
  if (filter.rule && fields.fault_rule_id !== filter.rule && fields.fault_rule !== filter.rule) return false;
  return true;
}
