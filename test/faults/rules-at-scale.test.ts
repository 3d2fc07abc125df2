/**
 * Many rules: created in batches (all or none), capped by MOCKS3_MAX_RULES with a 400 and the
 * reason, deleted all at once — and with a thousand rules for other buckets and operations in
 * force, the gate still picks the right rule: the highest priority among those that match,
 * wherever it is filed (the request's bucket, bucket and operation, access key, key prefix,
 * operation) or tested on every request, and at once after each change. On a stack of its own (it deletes every rule).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearFaults, putTestObject } from "../helpers/fault-load";
import { DEFAULT_KEY } from "../helpers/credentials";
import { addRule, faultApi, faultOf } from "../helpers/faults";
import { signer } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const LIMIT = 1_300;
const TEAPOT = { type: "http_error", http_code: 418 };

let stack: StackProcess;
let api: string;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_MAX_RULES: String(LIMIT) } });
  api = stack.services["mock-error-service"]!;
  await putTestObject(stack.endpoint, "scale", "obj", 16);
  // past the inline limit: a GET reaches storage-service, whose gate keeps only its own rules
  await putTestObject(stack.endpoint, "scale", "big", 256 * 1024);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

/** Rule `i` of a batch: another bucket, other operations (of this bucket, or any), another client, other keys, another test run's header or query parameter. */
function otherRule(batch: string, i: number) {
  const conditions = [
    [{ type: "operation", value: ["PutObject"] }],
    [
      { type: "bucket", value: "scale" },
      { type: "operation", value: ["PutObject", "DeleteObject"] },
    ],
    [{ type: "access_key", value: `AKIAOTHER${i}` }],
    [{ type: "key", prefix: `${batch}/${i}/` }],
    [{ type: "header", name: "X-Test-Run", equals: `${batch}-${i}` }],
    [{ type: "query", name: "trace", equals: `${batch}-${i}` }],
  ][i % 10] ?? [{ type: "bucket", value: `${batch}-${i}` }];
  return { name: `${batch} ${i}`, service: ["gateway", "metadata-service", "storage-service"][i % 3], conditions, action: TEAPOT };
}

/** `size` rules of a batch in one POST (the API's answer, for the status and the reason). */
function postBatch(batch: string, size = 1000) {
  return faultApi(
    "POST",
    "/rules",
    Array.from({ length: size }, (_, i) => otherRule(batch, i)),
    api,
  );
}

async function count(): Promise<number> {
  const { status, json } = await faultApi("GET", "/rules", undefined, api);
  expect(status).toBe(200);
  expect(json.rules).toHaveLength(json.total);
  return json.total;
}

/** Which rule answers a GET of scale/obj (or another key), if any. */
async function probe(key = "obj", { headers = {}, query = "" }: { headers?: Record<string, string>; query?: string } = {}): Promise<string | undefined> {
  const response = await signer().fetch(`${stack.endpoint}/scale/${key}${query}`, { headers });
  await response.arrayBuffer();
  const { rule } = faultOf(response.headers);
  expect(response.status).toBe(rule ? 418 : 200);
  return rule;
}

describe("rules in batches, up to MOCKS3_MAX_RULES", () => {
  it("creates an array of rules at once, refuses the whole array for one bad rule, and refuses rules beyond the limit with the reason", async () => {
    await clearFaults(api);
    const first = await postBatch("a");
    expect(first.status).toBe(201);
    expect(first.json.total).toBe(1000);
    expect(new Set(first.json.rules.map((r: { id: string }) => r.id)).size).toBe(1000);
    expect(await count()).toBe(1000);

    const bad = Array.from({ length: 10 }, (_, i) => otherRule("b", i));
    bad[3] = { ...bad[3]!, action: { type: "http_error", http_code: 99 } };
    const refused = await faultApi("POST", "/rules", bad, api);
    expect(refused.status).toBe(400);
    expect(refused.json.reason).toMatch(/^rule 3: /);
    expect(await count()).toBe(1000);

    for (const size of [0, 1001]) {
      const wrong = await postBatch("c", size);
      expect(wrong.status).toBe(400);
      expect(wrong.json.reason).toContain("1 to 1000 rules");
    }

    expect((await postBatch("d", LIMIT - 1000)).status).toBe(201);
    const over = await faultApi("POST", "/rules", otherRule("e", 0), api);
    expect(over.status).toBe(400);
    expect(over.json.reason).toContain(`at most ${LIMIT} rules (MOCKS3_MAX_RULES)`);
    expect(await count()).toBe(LIMIT);

    const cleared = await faultApi("DELETE", "/rules", undefined, api);
    expect(cleared).toEqual({ status: 200, json: { deleted: LIMIT } });
    expect(await count()).toBe(0);
  });
});

describe("the right rule among a thousand", () => {
  it("injects the highest-priority matching rule, wherever it is filed, and follows every change at once", async () => {
    await clearFaults(api);
    expect((await postBatch("f")).status).toBe(201);
    expect(await probe()).toBeUndefined();

    // filed under the bucket, under the operation, and tested on every request
    const byBucket = await addRule({ name: "by bucket", service: "gateway", conditions: [{ type: "bucket", value: ["scale", "other"] }], action: TEAPOT }, api);
    expect(await probe()).toBe(byBucket.id);
    const byOperation = await addRule({ name: "by operation", service: "gateway", priority: 5, conditions: [{ type: "operation", value: "GetObject" }], action: TEAPOT }, api);
    expect(await probe()).toBe(byOperation.id);
    const everywhere = await addRule({ name: "everywhere", service: "gateway", priority: 10, conditions: [{ type: "key", prefix: "nothing/" }], action: TEAPOT }, api);
    expect(await probe()).toBe(byOperation.id);
    const glob = await addRule({ name: "by glob", service: "gateway", priority: 7, conditions: [{ type: "bucket", value: "sca*" }], action: TEAPOT }, api);
    expect(await probe()).toBe(glob.id);
    const byPair = await addRule(
      {
        name: "by bucket and operation",
        service: "gateway",
        priority: 8,
        conditions: [
          { type: "operation", value: ["GetObject", "HeadObject"] },
          { type: "bucket", value: "scale" },
        ],
        action: TEAPOT,
      },
      api,
    );
    expect(await probe()).toBe(byPair.id);
    const byClient = await addRule(
      { name: "by access key", service: "gateway", priority: 9, conditions: [{ type: "access_key", value: ["AKIANOBODY", DEFAULT_KEY.accessKeyId] }], action: TEAPOT },
      api,
    );
    expect(await probe()).toBe(byClient.id);
    const byRun = await addRule({ name: "by test run", service: "gateway", priority: 11, conditions: [{ type: "header", name: "X-Test-Run", equals: "run-1" }], action: TEAPOT }, api);
    expect(await probe("obj", { headers: { "x-test-run": "run-1" } })).toBe(byRun.id);
    expect(await probe("obj", { headers: { "x-test-run": "run-2" } })).toBe(byClient.id);
    expect(await probe()).toBe(byClient.id);
    expect((await faultApi("DELETE", `/rules/${byRun.id}`, undefined, api)).status).toBe(204);
    expect((await faultApi("DELETE", `/rules/${byClient.id}`, undefined, api)).status).toBe(204);
    expect((await faultApi("DELETE", `/rules/${byPair.id}`, undefined, api)).status).toBe(204);
    expect(await probe()).toBe(glob.id);

    expect((await faultApi("POST", `/rules/${glob.id}/disable`, undefined, api)).status).toBe(200);
    expect(await probe()).toBe(byOperation.id);
    expect((await faultApi("PATCH", `/rules/${everywhere.id}`, { conditions: [{ type: "key", prefix: "obj" }] }, api)).status).toBe(200);
    expect(await probe()).toBe(everywhere.id);
    expect((await faultApi("DELETE", `/rules/${everywhere.id}`, undefined, api)).status).toBe(204);
    expect((await faultApi("PATCH", `/rules/${byOperation.id}`, { priority: -1 }, api)).status).toBe(200);
    expect(await probe()).toBe(byBucket.id);

    // an older rule of the same priority wins, also across the lists
    const younger = await addRule({ name: "younger", service: "gateway", conditions: [{ type: "method", value: "GET" }], action: TEAPOT }, api);
    expect(await probe()).toBe(byBucket.id);
    expect((await faultApi("DELETE", `/rules/${byBucket.id}`, undefined, api)).status).toBe(204);
    expect(await probe()).toBe(younger.id);

    expect((await faultApi("POST", "/halt", undefined, api)).status).toBe(200);
    expect(await probe()).toBeUndefined();
    expect((await faultApi("DELETE", "/rules", undefined, api)).json.deleted).toBe(1003);
  });
});

describe("a gate that keeps one service", () => {
  it("takes each of its rules at once, whatever other services' rules were added between, one at a time or many at once", async () => {
    await clearFaults(api);
    let n = 0;
    // eight at a time, the services mixed: the storage-service gate is told of a quarter of them
    const many = Array.from({ length: 200 }, (_, i) => otherRule("g", i));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let rule = many[n++]; rule; rule = many[n++]) await addRule(rule, api);
      }),
    );
    expect(await probe("big")).toBeUndefined();
    for (let round = 0; round < 4; round++) {
      await addRule(otherRule(`h${round}`, 0), api);
      await addRule(otherRule(`h${round}`, 1), api);
      const storage = await addRule(
        {
          name: `storage ${round}`,
          service: "storage-service",
          conditions: [
            { type: "bucket", value: "scale" },
            { type: "key", prefix: "big" },
          ],
          action: TEAPOT,
        },
        api,
      );
      expect(await probe("big")).toBe(storage.id);
      expect(await probe("obj")).toBeUndefined();
      expect((await faultApi("DELETE", `/rules/${storage.id}`, undefined, api)).status).toBe(204);
      expect(await probe("big")).toBeUndefined();
    }
  });
});

describe("rules of the services behind the gateway", () => {
  it("reach a request wherever they are filed, or when tested on every request, among a thousand for other buckets, operations, clients and keys", async () => {
    await clearFaults(api);
    const others = await postBatch("i");
    expect(others.status).toBe(201);
    expect(await probe("big")).toBeUndefined();
    const filings = [
      [{ type: "bucket", value: "scale" }],
      [{ type: "operation", value: "GetObject" }],
      [{ type: "key", prefix: "bi" }],
      [{ type: "access_key", value: DEFAULT_KEY.accessKeyId }],
      [
        { type: "bucket", value: "scale" },
        { type: "operation", value: "GetObject" },
      ],
      [{ type: "key", regex: "^big$" }],
      [{ type: "header", name: "X-Test-Run", equals: "run-7" }],
      [{ type: "header", name: "x-test-run", regex: "^run-" }],
      [{ type: "query", name: "trace", equals: "on" }],
      [{ type: "query", name: "trace", present: true }],
    ];
    // a test run's header and query parameter, which the rules filed under them look for
    const run = { headers: { "x-test-run": "run-7" }, query: "?trace=on" };
    expect(await probe("big", run)).toBeUndefined();
    for (const service of ["metadata-service", "storage-service"]) {
      for (const conditions of filings) {
        const rule = await addRule({ name: `${service} ${conditions[0]!.type}`, service, conditions, action: TEAPOT }, api);
        expect(await probe("big", run)).toBe(rule.id);
        expect((await faultApi("DELETE", `/rules/${rule.id}`, undefined, api)).status).toBe(204);
        expect(await probe("big", run)).toBeUndefined();
      }
    }
  });
});
