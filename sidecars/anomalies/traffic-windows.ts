/**
 * The services' traffic as the experiments sample it (POST /window, the protocol in
 * shared/experiments/traffic-window.ts): the request and fault lines of the last two minutes,
 * tallied per batch the stack hands over, so that a caller's cursor can say "everything after
 * this batch" and a phase counts each request exactly once, however often it samples.
 *
 * Slots. Lines are added to an open slot; `seal()` closes it as the next slot, numbered
 * (`seq`, from 1, one more per slot) and stamped with the time it was sealed. main.ts seals
 * after each batch (every 250 ms, sidecars/stack/telemetry-tap.ts), and a query seals first,
 * so an answer only ever counts sealed slots and a line is in no two deltas. A batch with
 * nothing watched makes no slot: the sequence has no gaps, and what is kept is always the
 * slots from the oldest kept `seq` to the newest.
 *
 * Memory is fixed: slots older than KEPT_MS are dropped, and at most MAX_SLOTS are kept
 * (ten a second, should something seal more often than the stack's batches); a slot holds one
 * tally per service, operation and bucket seen in it, and one count per rule name injected.
 * Health checks and the control plane are left out, as in the console's feed (live-feed.ts).
 */
import { addLatency, type LatencyHistogram, mergeHistogram } from "../../shared/experiments/latency-histogram";
import { emptyTally, TIME_STEP_MS, type TrafficTally, type WindowCursor, type WindowQuery, type WindowRequest, type WindowResponse } from "../../shared/experiments/traffic-window";
import type { FaultLogLine, LogLine, RequestLogLine } from "../../shared/telemetry/log-line";
import { watched } from "./live-feed";

/** how long slots are kept, and so the longest window a query may ask for */
export const KEPT_MS = 120_000;
const MAX_SLOTS = (KEPT_MS / 1000) * 10;

/** one service, operation and bucket's traffic in a slot */
interface Cell {
  service: string;
  operation: string;
  /** "" for requests of no bucket */
  bucket: string;
  /** when its requests were answered, to TIME_STEP_MS */
  at: number;
  requests: number;
  errors_4xx: number;
  errors_5xx: number;
  latency: LatencyHistogram;
  /** injections by rule name */
  injections: Map<string, number>;
}

interface Slot {
  seq: number;
  /** when it was sealed (ms): its arrival, for windows */
  at: number;
  cells: Map<string, Cell>;
}

export class TrafficWindows {
  /** this sidecar's start; a cursor of another epoch is of a sidecar that is gone */
  readonly epoch: number;
  private readonly slots: Slot[] = [];
  private open = new Map<string, Cell>();
  private seq = 0;

  /** when the windows were last asked about; -Infinity: never */
  private askedAt = Number.NEGATIVE_INFINITY;

  /**
   * `onlyWhenAsked`: count nothing while no one has asked for KEPT_MS (no experiment runs),
   * so that the sidecar spends nothing on every line outside experiments; an experiment's
   * first query starts the counting.
   */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly onlyWhenAsked = false,
  ) {
    this.epoch = now();
  }

  /** Counts a line in the open slot: requests and injections watched, nothing else. */
  add(line: LogLine): void {
    if (this.onlyWhenAsked && this.now() - this.askedAt > KEPT_MS) return;
    if (line.kind === "request") this.request(line);
    else if (line.kind === "fault") this.fault(line);
  }

  /** Closes the open slot as the newest (when it holds anything), and forgets what is too old. */
  seal(): void {
    const now = this.now();
    if (this.open.size > 0) {
      this.slots.push({ seq: ++this.seq, at: now, cells: this.open });
      this.open = new Map();
    }
    const expired = this.slots.findIndex((slot) => slot.at > now - KEPT_MS);
    const drop = Math.max(expired === -1 ? this.slots.length : expired, this.slots.length - MAX_SLOTS);
    if (drop > 0) this.slots.splice(0, drop);
  }

  /** The answer to POST /window: each query's window and delta, and the cursor of the newest slot. */
  query(request: WindowRequest): WindowResponse {
    this.askedAt = this.now();
    this.seal();
    const now = this.now();
    const { after, reset } = this.deltaStart(request.since);
    const results = request.queries.map((query) => ({
      key: query.key,
      window: tallyOf(
        this.newest((slot) => slot.at > now - query.window_ms),
        query,
      ),
      delta: tallyOf(
        this.newest((slot) => slot.seq > after),
        query,
      ),
      delta_by_time: byTime(
        this.newest((slot) => slot.seq > after),
        query,
      ),
    }));
    return { cursor: { epoch: this.epoch, seq: this.seq }, reset, results };
  }

  /** The seq the delta starts after; `reset` when the cursor is not of this epoch or slots after it were dropped. */
  private deltaStart(since: WindowCursor | null): { after: number; reset: boolean } {
    if (since === null) return { after: this.seq, reset: false };
    const oldestKept = this.slots[0]?.seq ?? this.seq + 1;
    if (since.epoch !== this.epoch || since.seq < oldestKept - 1 || since.seq > this.seq) return { after: 0, reset: true };
    return { after: since.seq, reset: false };
  }

  /** The newest slots, as long as `keep` holds (slots are in seq and time order). */
  private *newest(keep: (slot: Slot) => boolean): Generator<Slot> {
    for (let i = this.slots.length - 1; i >= 0 && keep(this.slots[i]!); i--) yield this.slots[i]!;
  }

  private request(line: RequestLogLine): void {
    if (!watched(line.service, line.operation)) return;
    const cell = this.cellOf(line.service, line.operation, line.bucket ?? "", line["@timestamp"]);
    cell.requests++;
    if (line.status >= 500) cell.errors_5xx++;
    else if (line.status >= 400) cell.errors_4xx++;
    if (Number.isFinite(line.duration_ms)) addLatency(cell.latency, line.duration_ms);
  }

  private fault(line: FaultLogLine): void {
    if (!watched(line.service, line.operation)) return;
    const { injections } = this.cellOf(line.service, line.operation, line.bucket ?? "", line["@timestamp"]);
    injections.set(line.fault_rule, (injections.get(line.fault_rule) ?? 0) + 1);
  }

  private cellOf(service: string, operation: string, bucket: string, timestamp: string): Cell {
    const time = Date.parse(timestamp);
    const at = Number.isFinite(time) ? time - (time % TIME_STEP_MS) : 0;
    const name = `${service}\u0000${operation}\u0000${bucket}\u0000${at}`;
    let cell = this.open.get(name);
    if (!cell) this.open.set(name, (cell = { service, operation, bucket, at, requests: 0, errors_4xx: 0, errors_5xx: 0, latency: {}, injections: new Map() }));
    return cell;
  }
}

/** What the slots hold of the query's service (and operation, bucket, rules). */
function tallyOf(slots: Iterable<Slot>, query: WindowQuery): TrafficTally {
  const tally = emptyTally();
  for (const slot of slots) for (const cell of slot.cells.values()) if (matches(cell, query)) addCell(tally, cell, query);
  return tally;
}

/** The same, by when the requests were answered, oldest first. */
function byTime(slots: Iterable<Slot>, query: WindowQuery): Array<{ at: number; tally: TrafficTally }> {
  const tallies = new Map<number, TrafficTally>();
  for (const slot of slots) {
    for (const cell of slot.cells.values()) {
      if (!matches(cell, query)) continue;
      let tally = tallies.get(cell.at);
      if (!tally) tallies.set(cell.at, (tally = emptyTally()));
      addCell(tally, cell, query);
    }
  }
  return [...tallies].sort((a, b) => a[0] - b[0]).map(([at, tally]) => ({ at, tally }));
}

function matches(cell: Cell, query: WindowQuery): boolean {
  return cell.service === query.service && (query.operation === undefined || cell.operation === query.operation) && (query.bucket === undefined || cell.bucket === query.bucket);
}

function addCell(tally: TrafficTally, cell: Cell, query: WindowQuery): void {
  tally.requests += cell.requests;
  tally.errors_4xx += cell.errors_4xx;
  tally.errors_5xx += cell.errors_5xx;
  mergeHistogram(tally.latency, cell.latency);
  for (const [rule, count] of cell.injections) if (query.rule === undefined || rule.startsWith(query.rule)) tally.injections += count;
}
