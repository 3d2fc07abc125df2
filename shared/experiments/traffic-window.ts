/**
 * What the experiments ask the anomalies sidecar about the services' traffic, which it sees
 * as the workers' log lines (sidecars/anomalies/traffic-windows.ts), on `POST /window`:
 * for each query, the tally of the requests (and injections) that arrived in the last
 * `window_ms`, and of those that arrived since the caller's cursor — so a phase adds up every
 * request once, however often it samples. Requests are counted when their line reaches the
 * sidecar (≤ ~0.3 s after the answer: workers print in 50 ms batches, the stack hands them
 * over every 250 ms).
 *
 * A cursor is the sidecar's epoch (its start) and a sequence number of the batches it took;
 * a cursor of another epoch (the sidecar restarted) or older than what it keeps (two
 * minutes) gets what it keeps, with `reset: true`.
 */
import type { LatencyHistogram } from "./latency-histogram";

export interface WindowCursor {
  epoch: number;
  seq: number;
}

export interface WindowQuery {
  /** the caller's name for this query, returned with its result */
  key: string;
  /** requests of this service (a request line's `service`) */
  service: string;
  /** and of this operation (the S3 operation on the gateway, else the route) */
  operation?: string;
  /** and of this bucket */
  bucket?: string;
  /** injections counted only for rules whose name starts with this */
  rule?: string;
  window_ms: number;
}

export interface WindowRequest {
  since: WindowCursor | null;
  queries: WindowQuery[];
}

export interface TrafficTally {
  requests: number;
  errors_4xx: number;
  errors_5xx: number;
  injections: number;
  /** the requests' durations (ms) */
  latency: LatencyHistogram;
}

export interface WindowResult {
  key: string;
  /** what arrived in the last window_ms */
  window: TrafficTally;
  /** what arrived since the cursor (empty when `since` was null) */
  delta: TrafficTally;
  /**
   * the same, by when the requests were answered (their lines' time, to TIME_STEP_MS),
   * oldest first: a phase counts the requests answered within it, however late they arrive
   */
  delta_by_time: Array<{ at: number; tally: TrafficTally }>;
}

/** the resolution of `delta_by_time` (ms) */
export const TIME_STEP_MS = 10;

export interface WindowResponse {
  cursor: WindowCursor;
  /** the cursor was of another epoch or older than what is kept: `delta` holds what is kept */
  reset: boolean;
  results: WindowResult[];
}

export function emptyTally(): TrafficTally {
  return { requests: 0, errors_4xx: 0, errors_5xx: 0, injections: 0, latency: {} };
}
