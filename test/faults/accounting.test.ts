/**
 * What the fault engine counts and how it decides: a probability over many requests, seeded
 * decisions that repeat run after run, stats and events (filters, paging, reset, the last
 * 10,000 kept). On a stack of its own: these tests reset the accounting and set the global
 * seed, which touch every rule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allEvents, clearFaults, inParallel, putTestObject, timedRequest, type TimedAnswer } from "../helpers/fault-load";
import { XMLParser } from "fast-xml-parser";
import { addRule, faultApi, ruleStats } from "../helpers/faults";
import { SEED_RULE_BODIES } from "../helpers/seed-faults";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;
let api: string;

beforeAll(async () => {
  stack = await startStackProcess();
  api = stack.services["mock-error-service"]!;
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

beforeEach(async () => {
  await clearFaults(api);
});

function putObject(bucket: string, key: string, bytes: number): Promise<string> {
  return putTestObject(stack.endpoint, bucket, key, bytes);
}

const failWith503 = { type: "http_error", http_code: 503 };
const errorParser = new XMLParser({ parseTagValue: false });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("fault accounting", () => {
  it("probability › a 10 % rule over 2,000 GETs injects within binomial bounds; stats and events count every injection", { timeout: 90_000 }, async () => {
    const url = await putObject("binomial", "small.txt", 100);
    const rule = await addRule({ name: "one in ten", service: "gateway", conditions: [{ type: "probability", value: 0.1 }], action: { type: "http_error", http_code: 500 } }, api);
    const answers = await inParallel(2000, 16, () => timedRequest(url));
    const injected = answers.filter((a) => a.rule === rule.id);
    expect(injected.every((a) => a.status === 500 && a.action === "http_error")).toBe(true);
    expect(answers.filter((a) => a.rule === undefined).every((a) => a.status === 200)).toBe(true);
    // 99.99 % of runs land within 4.5 σ of n·p.
    const sigma = Math.sqrt(2000 * 0.1 * 0.9);
    console.log(`10 % rule: ${injected.length} of 2000 injected (bounds 200 ± ${(4.5 * sigma).toFixed(1)})`);
    expect(Math.abs(injected.length - 200)).toBeLessThanOrEqual(4.5 * sigma);
    expect(await ruleStats(rule.id, api)).toMatchObject({ matched: 2000, injected: injected.length, injection_rate: injected.length / 2000 });
    const events = await allEvents(api, `rule=${rule.id}`);
    expect(events.length).toBe(injected.length);
    expect(new Set(events.map((e) => e.request_id))).toEqual(new Set(injected.map((a) => a.requestId)));
  });

  it("seed rule › the seed's Storage Random Error, verbatim, is felt by small objects: 800 GETs of 5 bytes and 200 PUTs of 1 KiB fail 10 % of the time, each failure a valid S3 error counted in stats and events", {
    timeout: 90_000,
  }, async () => {
    const five = await putObject("seed-storage", "five.txt", 5);
    const { status, json: rule } = await faultApi("POST", "/rules", SEED_RULE_BODIES[0], api);
    expect(status).toBe(201);
    expect(rule).toMatchObject({ name: "Storage Random Error", service: "storage-service" });
    const answers = await inParallel(1000, 16, (i) => (i < 800 ? timedRequest(five) : timedRequest(`${stack.endpoint}/seed-storage/put-${i}.bin`, { method: "PUT", body: Buffer.alloc(1024, i) })));
    const failed = answers.filter((a) => a.status === 500);
    expect(answers.every((a) => a.status === 200 || a.status === 500)).toBe(true);
    // 99.99 % of runs land within 4.5 σ of n·p
    const sigma = Math.sqrt(1000 * 0.1 * 0.9);
    console.log(
      `seed storage rule: ${failed.length} of 1000 failed (bounds 100 ± ${(4.5 * sigma).toFixed(1)}); GETs ${answers.slice(0, 800).filter((a) => a.status === 500).length}/800, PUTs ${answers.slice(800).filter((a) => a.status === 500).length}/200`,
    );
    expect(Math.abs(failed.length - 100)).toBeLessThanOrEqual(4.5 * sigma);
    expect(answers.slice(0, 800).some((a) => a.status === 500) && answers.slice(800).some((a) => a.status === 500)).toBe(true);
    for (const answer of failed) {
      expect(answer).toMatchObject({ rule: rule.id, action: "http_error" });
      const error = errorParser.parse(answer.body).Error;
      expect(error).toMatchObject({ Code: "InternalError", Message: "Internal server error injected", RequestId: answer.requestId });
      expect(error.Resource).toMatch(/^\/seed-storage\//);
    }
    expect(await ruleStats(rule.id, api)).toMatchObject({ matched: 1000, injected: failed.length });
    const events = await allEvents(api, `rule=${rule.id}`);
    expect(events.every((e) => e.service === "storage-service")).toBe(true);
    expect(new Set(events.map((e) => e.request_id))).toEqual(new Set(failed.map((a) => a.requestId)));
    // what a failed PUT was refused is not stored; what succeeded is
    const puts = answers.slice(800);
    for (const [i, answer] of puts.entries()) {
      const head = await fetch(`${stack.endpoint}/seed-storage/put-${i + 800}.bin`, { method: "HEAD" });
      expect(head.status, `PUT ${i + 800} answered ${answer.status}`).toBe(answer.status === 200 ? 200 : 404);
    }
  });

  it("seed › a seeded rule injects into the same requests run after run; another seed, other requests; the global seed serves rules without one", async () => {
    const url = await putObject("seeded", "small.txt", 10);
    /** Which of 60 sequential GETs the rule took: "x" taken, "." not. */
    const pattern = async () => {
      let marks = "";
      for (let i = 0; i < 60; i++) marks += (await timedRequest(url)).rule ? "x" : ".";
      return marks;
    };
    const rule = { name: "seeded", service: "gateway", conditions: [{ type: "probability", value: 0.3 }], action: failWith503 };
    const own = await addRule({ ...rule, seed: 42 }, api);
    const first = await pattern();
    await faultApi("POST", "/reset", undefined, api);
    expect(await pattern()).toBe(first);
    expect(first.split("x").length - 1).toBeGreaterThan(5);
    expect(first.split("x").length - 1).toBeLessThan(35);
    await faultApi("PATCH", `/rules/${own.id}`, { seed: 7 }, api);
    const other = await pattern();
    expect(other).not.toBe(first);

    // The draws hash (seed, rule name, count): the same name under the global seed repeats them.
    await faultApi("DELETE", `/rules/${own.id}`, undefined, api);
    await addRule(rule, api);
    await pattern();
    expect((await faultApi("PUT", "/seed", { seed: 42 }, api)).json).toEqual({ seed: 42 });
    expect(await pattern()).toBe(first);
    await faultApi("PUT", "/seed", { seed: 7 }, api);
    expect(await pattern()).toBe(other);
    await faultApi("POST", "/reset", undefined, api);
    expect(await pattern()).toBe(other);
  });

  it("events › filtered by rule, service, action, operation, bucket and time, paged newest first; reset clears them and the stats", { timeout: 60_000 }, async () => {
    const small = await putObject("events-a", "small.txt", 10);
    const large = `${stack.endpoint}/events-b/large.bin`;
    await putObject("events-b", "large.bin", 200 * 1024);
    const a = await addRule({ name: "gateway errors", service: "gateway", conditions: [{ type: "bucket", value: "events-a" }], action: failWith503 }, api);
    const b = await addRule({ name: "slow storage", service: "storage-service", conditions: [{ type: "bucket", value: "events-b" }], action: { type: "delay", delay: "1ms" } }, api);
    const first: TimedAnswer[] = [];
    for (let i = 0; i < 3; i++) first.push(await timedRequest(small));
    for (let i = 0; i < 2; i++) first.push(await timedRequest(small, { method: "HEAD" }));
    await pause(30);
    const between = new Date().toISOString();
    await pause(30);
    for (let i = 0; i < 2; i++) expect((await timedRequest(large, { method: "PUT", body: Buffer.alloc(200 * 1024, i) })).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await timedRequest(large)).status).toBe(200);
    expect(first.every((x) => x.status === 503 && x.rule === a.id)).toBe(true);

    const everything = await allEvents(api);
    expect(everything).toHaveLength(9);
    const ids = everything.map((e) => e.id as number);
    expect([...ids].sort((x, y) => y - x)).toEqual(ids);
    const newestOfA = everything.find((e) => e.rule_id === a.id)!;
    expect(newestOfA).toMatchObject({
      rule_name: "gateway errors",
      service: "gateway",
      operation: "HeadObject",
      bucket: "events-a",
      key: "small.txt",
      action: "http_error",
      request_id: first[4]!.requestId,
    });
    expect(everything[0]).toMatchObject({ rule_id: b.id, service: "storage-service", operation: "GetObject", bucket: "events-b", key: "large.bin", action: "delay" });

    const count = async (query: string) => (await allEvents(api, query)).length;
    expect(await count(`rule=${a.id}`)).toBe(5);
    expect(await count(`rule=${b.id}`)).toBe(4);
    expect(await count("service=storage-service")).toBe(4);
    expect(await count("action=delay")).toBe(4);
    expect(await count("action=http_error")).toBe(5);
    expect(await count("operation=HeadObject")).toBe(2);
    expect(await count("operation=GetObject")).toBe(5);
    expect(await count("service=storage-service&operation=PutObject")).toBe(2);
    expect(await count("bucket=events-b")).toBe(4);
    expect(await count(`since=${between}`)).toBe(4);
    expect(await count(`until=${between}`)).toBe(5);

    // Pages of two: every event once, in order, the total on every page, no `next` on the last.
    const paged: number[] = [];
    let before: number | null = null;
    do {
      const { json } = await faultApi("GET", `/events?limit=2${before ? `&before=${before}` : ""}`, undefined, api);
      expect(json.total).toBe(9);
      expect(json.events.length).toBe(Math.min(2, 9 - paged.length));
      paged.push(...json.events.map((e: { id: number }) => e.id));
      before = json.next;
    } while (before);
    expect(paged).toEqual(ids);
    expect(await allEvents(api, `rule=${a.id}`, 2)).toEqual(everything.filter((e) => e.rule_id === a.id));
    expect((await faultApi("GET", "/events?limit=0", undefined, api)).status).toBe(400);
    expect((await faultApi("GET", "/events?since=yesterday", undefined, api)).status).toBe(400);

    expect((await faultApi("POST", "/reset", undefined, api)).status).toBe(200);
    const { json: stats } = await faultApi("GET", "/stats", undefined, api);
    expect(stats).toMatchObject({ total_rules: 2, total_matched: 0, total_injected: 0 });
    expect(stats.rules.map((r: { matched: number; injected: number }) => [r.matched, r.injected])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect((await faultApi("GET", "/events", undefined, api)).json).toEqual({ events: [], next: null, total: 0 });
    expect((await timedRequest(small)).rule).toBe(a.id);
    expect(await ruleStats(a.id, api)).toMatchObject({ matched: 1, injected: 1 });
  });

  it("events › at least the last 10,000 are kept (10,050 injections, every one listed)", { timeout: 120_000 }, async () => {
    const rule = await addRule({ name: "every request", service: "gateway", conditions: [{ type: "bucket", value: "many-events" }], action: failWith503 }, api);
    const started = performance.now();
    const answers = await inParallel(10_050, 16, () => timedRequest(`${stack.endpoint}/many-events/k`));
    console.log(`10,050 injected answers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(answers.every((x) => x.status === 503 && x.rule === rule.id)).toBe(true);
    const events = await allEvents(api);
    expect(events).toHaveLength(10_050);
    expect(new Set(events.map((e) => e.request_id)).size).toBe(10_050);
    expect(await ruleStats(rule.id, api)).toMatchObject({ matched: 10_050, injected: 10_050 });
  });
});
