/**
 * Record and replay of injection decisions: a run's decisions recorded, exported, and taken
 * again by a later run whatever the seed; requests the recording does not know pass and are
 * reported. On a stack of its own: these tests change the global seed and clear every rule,
 * and its recordings stop by themselves at MAX_DECISIONS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearFaults, putTestObject } from "../helpers/fault-load";
import { addRule, faultApi } from "../helpers/faults";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;
let api: string;
/** above one page of decisions (DECISIONS_PAGE, 5,000): exports and replays move in pages */
const MAX_DECISIONS = 6_000;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_MAX_RECORDED_DECISIONS: String(MAX_DECISIONS) } });
  api = stack.services["mock-error-service"]!;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(async () => {
  await faultApi("DELETE", "/replay", undefined, api);
  const { json } = await faultApi("GET", "/recordings", undefined, api);
  for (const recording of json.recordings) if (recording.stopped_at === null) await faultApi("POST", `/recordings/${recording.id}/stop`, undefined, api);
  await clearFaults(api);
});

const BUCKET = "record-replay";
const KEYS = Array.from({ length: 10 }, (_, i) => `k${i}`);
/** 40 GETs, each key 4 times, in an order that is not a plain cycle */
const SEQUENCE = Array.from({ length: 40 }, (_, i) => KEYS[(i * 7 + Math.floor(i / 10)) % 10]!);
const SEED_A = 1;
const SEED_B = 2;

/** The statuses of the GETs of `keys`, sent one after the other. */
async function run(keys: readonly string[], bucket = BUCKET): Promise<number[]> {
  const statuses: number[] = [];
  for (const key of keys) {
    const response = await fetch(`${stack.endpoint}/${bucket}/${key}`);
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses;
}

async function coinRule(): Promise<void> {
  for (const key of [...KEYS, "extra"]) await putTestObject(stack.endpoint, BUCKET, key, 16);
  await addRule(
    {
      name: "replay coin",
      service: "gateway",
      conditions: [
        { type: "bucket", value: BUCKET },
        { type: "operation", value: ["GetObject"] },
        { type: "probability", value: 0.5 },
      ],
      action: { type: "http_error", http_code: 503 },
    },
    api,
  );
}

async function setSeed(seed: number): Promise<void> {
  expect((await faultApi("PUT", "/seed", { seed }, api)).status).toBe(200);
}

describe("record and replay", () => {
  it("Replay › a recording replayed under a different global seed gives the identical sequence of outcomes", { timeout: 60_000 }, async () => {
    await setSeed(SEED_A);
    await coinRule();
    const started = await faultApi("POST", "/recordings", undefined, api);
    expect(started.status).toBe(201);
    const recorded = await run(SEQUENCE);
    expect(recorded).toContain(503);
    expect(recorded).toContain(200);
    const stopped = await faultApi("POST", `/recordings/${started.json.id}/stop`, undefined, api);
    expect(stopped.json).toMatchObject({ id: started.json.id, stop_reason: "stopped", decisions: 40, max_decisions: MAX_DECISIONS });

    const exported = await faultApi("GET", `/recordings/${started.json.id}`, undefined, api);
    expect(exported.status).toBe(200);
    const decisions = exported.json.decisions_list as Array<Record<string, any>>;
    expect(decisions.map((d) => d.facts.key)).toEqual(SEQUENCE);
    expect(decisions.map((d) => (d.outcome === "inject" ? 503 : 200))).toEqual(recorded);
    expect(decisions[0]).toMatchObject({
      seq: 1,
      gate: "gateway",
      service: "gateway",
      rule: "replay coin",
      n: 1,
      action: "http_error",
      facts: { operation: "GetObject", method: "GET", bucket: BUCKET },
    });

    // another seed draws otherwise (these two seeds differ on these 40 draws)
    await setSeed(SEED_B);
    expect(await run(SEQUENCE)).not.toEqual(recorded);

    const replay = await faultApi("POST", "/replay", exported.json, api);
    expect(replay.status).toBe(201);
    expect(replay.json).toMatchObject({ recording_id: started.json.id, decisions: 40, replayed: 0, pending: 40 });
    expect(await run(SEQUENCE)).toEqual(recorded);
    // a key the recording never saw, and a fifth GET of k0 (the recording has four): both unknown, neither faulted
    expect(await run(["extra", "k0"])).toEqual([200, 200]);

    const progress = await faultApi("GET", "/replay", undefined, api);
    expect(progress.json).toMatchObject({ replayed: 40, pending: 0, unknown: 2 });
    expect(progress.json.unknown_requests).toEqual([
      { service: "gateway", rule: "replay coin", facts: { operation: "GetObject", method: "GET", bucket: BUCKET, key: "extra" } },
      { service: "gateway", rule: "replay coin", facts: { operation: "GetObject", method: "GET", bucket: BUCKET, key: "k0" } },
    ]);
    expect((await faultApi("DELETE", "/replay", undefined, api)).json).toMatchObject({ replayed: 40, unknown: 2 });
    expect((await faultApi("GET", "/replay", undefined, api)).status).toBe(404);
    // the draws are back: seed A again (its counts start over) draws the recording's sequence
    await setSeed(SEED_A);
    expect(await run(SEQUENCE)).toEqual(recorded);
  });

  it("Replay › a replay with part of a recording knows the first decisions and reports the rest", { timeout: 60_000 }, async () => {
    await setSeed(SEED_A);
    await coinRule();
    const { json: started } = await faultApi("POST", "/recordings", undefined, api);
    const recorded = await run(SEQUENCE);
    await faultApi("DELETE", `/recordings/${started.id}`, undefined, api);
    const { json: exported } = await faultApi("GET", `/recordings/${started.id}`, undefined, api);
    await setSeed(SEED_B);
    const half = { ...exported, decisions_list: exported.decisions_list.slice(0, 20) };
    expect((await faultApi("POST", "/replay", half, api)).status).toBe(201);
    const replayed = await run(SEQUENCE);
    expect(replayed.slice(0, 20)).toEqual(recorded.slice(0, 20));
    expect(replayed.slice(20)).toEqual(Array(20).fill(200));
    expect((await faultApi("GET", "/replay", undefined, api)).json).toMatchObject({ replayed: 20, pending: 0, unknown: 20 });
  });

  it("Replay › a recording started during a replay holds the replayed outcomes, and does not rewind the replay", { timeout: 60_000 }, async () => {
    await setSeed(SEED_A);
    await coinRule();
    const { json: first } = await faultApi("POST", "/recordings", undefined, api);
    const recorded = await run(SEQUENCE);
    await faultApi("POST", `/recordings/${first.id}/stop`, undefined, api);
    const { json: exported } = await faultApi("GET", `/recordings/${first.id}`, undefined, api);
    await setSeed(SEED_B);
    expect((await faultApi("POST", "/replay", exported, api)).status).toBe(201);
    const firstHalf = await run(SEQUENCE.slice(0, 20));
    const { json: second } = await faultApi("POST", "/recordings", undefined, api);
    const secondHalf = await run(SEQUENCE.slice(20));
    expect([...firstHalf, ...secondHalf]).toEqual(recorded);
    await faultApi("POST", `/recordings/${second.id}/stop`, undefined, api);
    const { json: again } = await faultApi("GET", `/recordings/${second.id}`, undefined, api);
    expect(again.decisions_list.map((d: { outcome: string }) => (d.outcome === "inject" ? 503 : 200))).toEqual(recorded.slice(20));
    expect((await faultApi("GET", "/replay", undefined, api)).json).toMatchObject({ replayed: 40, unknown: 0 });
  });

  it("Replay › reaches storage-service's gate, and the gateway's deciding for storage-service on inline objects", { timeout: 60_000 }, async () => {
    const bucket = "record-replay-storage";
    // above the gateway's 128 KiB inline limit storage-service decides; at 16 bytes the gateway does, for it
    for (const key of ["big0", "big1", "big2"]) await putTestObject(stack.endpoint, bucket, key, 200 * 1024);
    await putTestObject(stack.endpoint, bucket, "small", 16);
    const sequence = Array.from({ length: 32 }, (_, i) => ["big0", "big1", "small", "big2"][(i * 3) % 4]!);
    await setSeed(SEED_A);
    await addRule(
      {
        name: "storage coin",
        service: "storage-service",
        conditions: [
          { type: "bucket", value: bucket },
          { type: "operation", value: ["GetObject"] },
          { type: "probability", value: 0.5 },
        ],
        action: { type: "http_error", http_code: 500 },
      },
      api,
    );
    const { json: started } = await faultApi("POST", "/recordings", undefined, api);
    const recorded = await run(sequence, bucket);
    expect(recorded).toContain(500);
    await faultApi("POST", `/recordings/${started.id}/stop`, undefined, api);
    const { json: exported } = await faultApi("GET", `/recordings/${started.id}`, undefined, api);
    const gates = new Map<string, string>(exported.decisions_list.map((d: { facts: { key: string }; gate: string }) => [d.facts.key, d.gate]));
    expect(Object.fromEntries(gates)).toEqual({ big0: "storage-service", big1: "storage-service", big2: "storage-service", small: "gateway" });

    await setSeed(SEED_B);
    expect(await run(sequence, bucket)).not.toEqual(recorded);
    expect((await faultApi("POST", "/replay", exported, api)).status).toBe(201);
    expect(await run(sequence, bucket)).toEqual(recorded);
    expect((await faultApi("GET", "/replay", undefined, api)).json).toMatchObject({ replayed: 32, pending: 0, unknown: 0 });
  });

  it("Recordings › a recording stops by itself once it holds MOCKS3_MAX_RECORDED_DECISIONS, and is exported whole across pages", { timeout: 60_000 }, async () => {
    const bucket = "record-replay-many";
    await putTestObject(stack.endpoint, bucket, "one", 16);
    // 100 rules that never inject: each GET is 100 decisions, all passes
    const never = Array.from({ length: 100 }, (_, i) => ({
      name: `never ${i}`,
      service: "gateway",
      conditions: [
        { type: "bucket", value: bucket },
        { type: "probability", value: 0 },
      ],
      action: { type: "http_error", http_code: 500 },
    }));
    expect((await faultApi("POST", "/rules", never, api)).status).toBe(201);
    const { json: started } = await faultApi("POST", "/recordings", undefined, api);
    expect(await run(Array(70).fill("one"), bucket)).toEqual(Array(70).fill(200));
    const { json: exported } = await faultApi("GET", `/recordings/${started.id}`, undefined, api);
    expect(exported).toMatchObject({ stop_reason: "full", decisions: MAX_DECISIONS, max_decisions: MAX_DECISIONS });
    expect(exported.stopped_at).not.toBeNull();
    expect(exported.decisions_list.map((d: { seq: number }) => d.seq)).toEqual(Array.from({ length: MAX_DECISIONS }, (_, i) => i + 1));
    expect(exported.decisions_list.every((d: { outcome: string; facts: { key: string } }) => d.outcome === "pass" && d.facts.key === "one")).toBe(true);
    // a full recording is no longer running: another may start
    expect((await faultApi("POST", "/recordings", undefined, api)).status).toBe(201);
  });

  it("Replay › a replay of more than a page of decisions reaches the gate whole", { timeout: 60_000 }, async () => {
    await setSeed(SEED_B);
    await coinRule();
    const facts = (key: string) => ({ operation: "GetObject", method: "GET", bucket: BUCKET, key });
    const decision = (seq: number, key: string) => ({ seq, gate: "gateway", service: "gateway", rule: "replay coin", facts: facts(key), n: seq, outcome: "inject", action: "http_error" });
    // 12,000 decisions for a key never asked for, then ten for k0: the gate needs its third page to know them
    const decisions_list = [...Array.from({ length: 12_000 }, (_, i) => decision(i + 1, "elsewhere")), ...Array.from({ length: 10 }, (_, i) => decision(12_001 + i, "k0"))];
    const posted = await faultApi("POST", "/replay", { id: "synthetic", decisions_list }, api);
    expect(posted.status).toBe(201);
    expect(posted.json).toMatchObject({ recording_id: "synthetic", decisions: 12_010, pending: 12_010 });
    expect(await run(Array(10).fill("k0"))).toEqual(Array(10).fill(503));
    expect((await faultApi("GET", "/replay", undefined, api)).json).toMatchObject({ replayed: 10, pending: 12_000, unknown: 0 });
  });

  it("Recordings › one at a time: a second is refused with 409 until the first stops", async () => {
    const first = await faultApi("POST", "/recordings", undefined, api);
    expect(first.status).toBe(201);
    const second = await faultApi("POST", "/recordings", undefined, api);
    expect(second.status).toBe(409);
    expect(second.json.reason).toContain(first.json.id);
    expect((await faultApi("POST", `/recordings/${first.json.id}/stop`, undefined, api)).status).toBe(200);
    const third = await faultApi("POST", "/recordings", undefined, api);
    expect(third.status).toBe(201);
    const list = await faultApi("GET", "/recordings", undefined, api);
    expect(list.json.recordings.slice(0, 2).map((r: { id: string }) => r.id)).toEqual([third.json.id, first.json.id]);
    expect((await faultApi("GET", "/recordings/no-such", undefined, api)).status).toBe(404);
  });

  it("Replay › a malformed recording is refused with 400 and the reason", async () => {
    const decision = { seq: 1, gate: "gateway", service: "gateway", rule: "r", facts: { operation: "GetObject", method: "GET", bucket: "b", key: "k" }, n: 1, outcome: "inject", action: "http_error" };
    const cases: Array<[unknown, string]> = [
      ["{not json", "not valid JSON"],
      [{ id: "x" }, "decisions_list"],
      [{ id: "x", decisions_list: [{ ...decision, outcome: "maybe" }] }, "decisions_list.0.outcome"],
      [{ id: "x", decisions_list: [decision, { ...decision, seq: 1 }] }, "increasing seq"],
    ];
    for (const [body, reason] of cases) {
      const answer = await faultApi("POST", "/replay", body, api);
      expect(answer.status).toBe(400);
      expect(answer.json.reason).toContain(reason);
    }
    expect((await faultApi("GET", "/replay", undefined, api)).status).toBe(404);
  });
});
