/**
 * The experiments' traffic windows (sidecars/anomalies/traffic-windows.ts), fed log lines as
 * the workers print them, one batch at a time as main.ts does (add each line, then seal), on a
 * clock the test moves: windows by arrival time, deltas by cursor, resets, the two-minute cap,
 * and what is left out. POST /window itself is in test/anomalies/sidecar.test.ts.
 */
import { describe, expect, it } from "vitest";
import { percentileOf } from "../../shared/experiments/latency-histogram";
import type { WindowCursor, WindowQuery, WindowResponse } from "../../shared/experiments/traffic-window";
import { type FaultLogLine, parseLogLine, type RequestLogLine } from "../../shared/telemetry/log-line";
import { TrafficWindows } from "../../sidecars/anomalies/traffic-windows";

const START = 1_700_000_000_000;

function request(service: string, operation: string, status = 200, duration_ms = 5, extra: Partial<RequestLogLine> = {}): string {
  const line: RequestLogLine = {
    "@timestamp": new Date().toISOString(),
    kind: "request",
    service,
    operation,
    method: "GET",
    status,
    duration_ms,
    bytes_in: 0,
    bytes_out: 0,
    message: `GET ${operation} ${status}`,
    ...extra,
  };
  return JSON.stringify(line);
}

function fault(service: string, operation: string, fault_rule: string): string {
  const line: FaultLogLine = {
    "@timestamp": new Date().toISOString(),
    kind: "fault",
    service,
    operation,
    bucket: "b",
    key: "k",
    request_id: "r",
    fault_rule,
    fault_rule_id: `id-${fault_rule}`,
    fault_action: "error",
    message: `fault ${fault_rule}`,
  };
  return JSON.stringify(line);
}

/** Traffic windows on a clock that moves only when told. */
function windowsAt(start = START) {
  let now = start;
  const windows = new TrafficWindows(() => now);
  return {
    windows,
    advance: (ms: number) => (now += ms),
    /** one batch from the stack, as main.ts takes it: every line added, then sealed */
    batch(lines: string[]) {
      for (const text of lines) {
        const line = parseLogLine(text);
        if (line) windows.add(line);
      }
      windows.seal();
    },
    ask(since: WindowCursor | null, ...queries: Array<Partial<WindowQuery>>): WindowResponse {
      return windows.query({ since, queries: queries.map((q, i) => ({ key: `q${i}`, service: "gateway", window_ms: 120_000, ...q })) });
    },
  };
}

const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe("traffic windows", () => {
  it("traffic windows › counts a service's requests with 4xx and 5xx apart, and one operation alone when asked", () => {
    const w = windowsAt();
    w.batch([
      request("gateway", "GetObject", 200),
      request("gateway", "GetObject", 404),
      request("gateway", "PutObject", 503),
      request("gateway", "PutObject", 500),
      request("storage-service", "/chunks/:id", 500),
    ]);
    const { results } = w.ask(null, {}, { operation: "PutObject" }, { service: "storage-service" });
    expect(results.map((r) => [r.key, r.window.requests, r.window.errors_4xx, r.window.errors_5xx])).toEqual([
      ["q0", 4, 1, 2],
      ["q1", 2, 0, 2],
      ["q2", 1, 0, 1],
    ]);
  });

  it("traffic windows › counts nothing until asked when told so, and stops once no one has asked for two minutes", () => {
    let now = START;
    const windows = new TrafficWindows(() => now, true);
    const line = parseLogLine(request("gateway", "GetObject"))!;
    windows.add(line);
    windows.seal();
    const first = windows.query({ since: null, queries: [{ key: "q", service: "gateway", window_ms: 60_000 }] });
    expect(first.results[0]!.window.requests).toBe(0);
    windows.add(line);
    now += 1_000;
    const second = windows.query({ since: first.cursor, queries: [{ key: "q", service: "gateway", window_ms: 60_000 }] });
    expect([second.results[0]!.window.requests, second.results[0]!.delta.requests]).toEqual([1, 1]);
    now += 121_000;
    windows.add(line);
    now += 250;
    expect(windows.query({ since: second.cursor, queries: [{ key: "q", service: "gateway", window_ms: 60_000 }] }).results[0]!.window.requests).toBe(0);
  });

  it("traffic windows › one bucket's requests alone when asked, and the delta by when they were answered, to 10 ms", () => {
    const w = windowsAt();
    const at = (ms: number) => new Date(START + ms).toISOString();
    const first = w.ask(null, {});
    w.batch([
      request("gateway", "GetObject", 200, 5, { bucket: "mine", "@timestamp": at(10) }),
      request("gateway", "GetObject", 503, 5, { bucket: "mine", "@timestamp": at(14) }),
      request("gateway", "GetObject", 200, 5, { bucket: "mine", "@timestamp": at(120) }),
      request("gateway", "GetObject", 503, 5, { bucket: "theirs", "@timestamp": at(20) }),
    ]);
    const { results } = w.ask(first.cursor, { bucket: "mine" }, {});
    expect(results.map((r) => [r.window.requests, r.window.errors_5xx])).toEqual([
      [3, 1],
      [4, 2],
    ]);
    expect(results[0]!.delta_by_time.map(({ at: time, tally }) => [time - START, tally.requests, tally.errors_5xx])).toEqual([
      [10, 2, 1],
      [120, 1, 0],
    ]);
  });

  it("traffic windows › a window holds the batches that arrived in its last window_ms", () => {
    const w = windowsAt();
    w.batch(times(3, () => request("gateway", "GetObject")));
    w.advance(1_000);
    w.batch(times(2, () => request("gateway", "GetObject")));
    w.advance(250);
    const { results } = w.ask(null, { window_ms: 500 }, { window_ms: 1_500 });
    expect(results.map((r) => r.window.requests)).toEqual([2, 5]);
  });

  it("traffic windows › without a cursor the delta is empty; each later delta holds only what arrived after its cursor", () => {
    const w = windowsAt();
    w.batch([request("gateway", "GetObject")]);
    const first = w.ask(null, {});
    expect(first).toMatchObject({ cursor: { epoch: START, seq: 1 }, reset: false });
    expect(first.results[0]!.delta.requests).toBe(0);
    expect(first.results[0]!.window.requests).toBe(1);

    let counted = 0;
    let cursor = first.cursor;
    for (let round = 0; round < 5; round++) {
      w.advance(250);
      w.batch(times(round + 1, () => request("gateway", "GetObject")));
      // asked twice between batches: the second delta is empty, nothing is counted twice
      for (const _ of [1, 2]) {
        const answer = w.ask(cursor, {});
        expect(answer.reset).toBe(false);
        counted += answer.results[0]!.delta.requests;
        cursor = answer.cursor;
      }
    }
    expect(counted).toBe(1 + 2 + 3 + 4 + 5);
    expect(cursor).toEqual({ epoch: START, seq: 6 });
  });

  it("traffic windows › a query seals the lines added since the last batch, so they are in one delta only", () => {
    const w = windowsAt();
    const { cursor } = w.ask(null, {});
    const line = parseLogLine(request("gateway", "GetObject"))!;
    w.windows.add(line);
    const answer = w.ask(cursor, {});
    expect(answer.results[0]!.delta.requests).toBe(1);
    expect(w.ask(answer.cursor, {}).results[0]!.delta.requests).toBe(0);
  });

  it("traffic windows › batches with nothing watched take no seq; the cursor stays on the newest slot", () => {
    const w = windowsAt();
    w.batch([]);
    w.batch([request("gateway", "/health")]);
    expect(w.ask(null, {}).cursor).toEqual({ epoch: START, seq: 0 });
    w.batch([request("gateway", "GetObject")]);
    expect(w.ask(null, {}).cursor).toEqual({ epoch: START, seq: 1 });
  });

  it("traffic windows › a cursor of another epoch gets everything kept, with reset", () => {
    const w = windowsAt();
    w.batch([request("gateway", "GetObject")]);
    w.batch([request("gateway", "GetObject"), request("gateway", "GetObject")]);
    const answer = w.ask({ epoch: START - 60_000, seq: 2 }, {});
    expect(answer).toMatchObject({ cursor: { epoch: START, seq: 2 }, reset: true });
    expect(answer.results[0]!.delta.requests).toBe(3);
    // and a cursor ahead of this epoch's newest slot (not of this sidecar) likewise
    expect(w.ask({ epoch: START, seq: 9 }, {}).reset).toBe(true);
  });

  it("traffic windows › keeps two minutes: older batches are dropped, and a cursor from before them gets a reset", () => {
    const w = windowsAt();
    const before = w.ask(null, {}).cursor;
    w.batch([request("gateway", "GetObject")]);
    const after = w.ask(null, {}).cursor;
    w.advance(60_000);
    w.batch([request("gateway", "GetObject"), request("gateway", "GetObject")]);
    w.advance(60_001);
    w.batch(times(4, () => request("gateway", "GetObject")));

    const missed = w.ask(before, {});
    expect(missed.reset).toBe(true);
    expect(missed.results[0]!.window.requests).toBe(6);
    expect(missed.results[0]!.delta.requests).toBe(6);
    // a cursor on the dropped slot itself missed nothing: no reset
    const caughtUp = w.ask(after, {});
    expect(caughtUp.reset).toBe(false);
    expect(caughtUp.results[0]!.delta.requests).toBe(6);

    w.advance(120_000);
    const idle = w.ask(caughtUp.cursor, {});
    expect(idle).toMatchObject({ reset: false, cursor: { seq: 3 } });
    expect(idle.results[0]!.window.requests).toBe(0);
    expect(idle.results[0]!.delta.requests).toBe(0);
  });

  it("traffic windows › keeps a fixed number of slots however often they are sealed", () => {
    const w = windowsAt();
    w.batch([request("gateway", "GetObject")]);
    const { cursor } = w.ask(null, {});
    const get = request("gateway", "GetObject");
    for (let i = 0; i < 2_000; i++) {
      w.advance(1);
      w.batch([get]);
    }
    const answer = w.ask(cursor, {});
    expect(answer.reset).toBe(true);
    expect(answer.results[0]!.window.requests).toBe(1_200);
  });

  it("traffic windows › injections are counted by the query's service and operation, and by rule name prefix", () => {
    const w = windowsAt();
    w.batch([
      fault("gateway", "GetObject", "exp-1-slow"),
      fault("gateway", "GetObject", "exp-1-slow"),
      fault("gateway", "PutObject", "exp-1-errors"),
      fault("gateway", "GetObject", "other"),
      fault("storage-service", "/chunks/:id", "exp-1-disk"),
    ]);
    const { results } = w.ask(null, {}, { rule: "exp-1" }, { rule: "exp-1", operation: "GetObject" }, { rule: "exp-2" }, { service: "storage-service", rule: "exp-1" });
    expect(results.map((r) => r.window.injections)).toEqual([4, 3, 2, 0, 1]);
    expect(results[0]!.window.requests).toBe(0);
  });

  it("traffic windows › latencies are a histogram whose percentiles are within 5 % above the true ones", () => {
    const w = windowsAt();
    w.batch(times(100, (i) => request("gateway", "GetObject", 200, i + 1)));
    const { latency } = w.ask(null, {}).results[0]!.window;
    for (const [percentile, truth] of [
      [50, 50],
      [95, 95],
      [99, 99],
      [100, 100],
    ] as const) {
      const read = percentileOf(latency, percentile)!;
      expect(read).toBeGreaterThanOrEqual(truth);
      expect(read).toBeLessThanOrEqual(truth * 1.05);
    }
  });

  it("traffic windows › health checks, the control plane and mock-error-service are left out", () => {
    const w = windowsAt();
    w.batch([
      request("gateway", "/health"),
      request("gateway", "/api/v1/rules/:id", 500),
      fault("gateway", "/api/v1/rules", "exp-1"),
      request("mock-error-service", "GetObject"),
      request("gateway", "GetObject"),
    ]);
    const { results } = w.ask(null, {}, { service: "mock-error-service" });
    expect(results.map((r) => [r.window.requests, r.window.errors_5xx, r.window.injections])).toEqual([
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });
});
