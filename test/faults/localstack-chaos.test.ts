/**
 * LocalStack's chaos API on the S3 port (`/_localstack/chaos/faults`, `/_localstack/chaos/effects`),
 * as LocalStack's documentation uses it, with the AWS SDK against the real stack. Its entries
 * cannot be limited to a bucket (they fault every S3 request of an operation), so this file
 * runs on a stack of its own.
 */
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY, TEST_CREDENTIALS } from "../helpers/credentials";
import { addRule, deleteRule, faultApi, faultOf, ruleStats, type RuleAnswer } from "../helpers/faults";
import { rawRequest } from "../helpers/raw-http";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;
let api: string;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  api = stack.services["mock-error-service"]!;
  s3 = s3Client(DEFAULT_KEY, stack.endpoint);
  bucket = await newBucket("localstack-chaos", s3);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "obj", Body: "hello" }));
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  await chaos("POST", "faults", []);
  await chaos("POST", "effects", { latency: 0 });
});

/** A call to LocalStack's chaos API on the S3 port, as LocalStack's docs make it (JSON in, JSON out). */
async function chaos(method: string, resource: "faults" | "effects", body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(`${stack.endpoint}/_localstack/chaos/${resource}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

/** LocalStack's rules as /api/v1/rules lists them. */
async function localstackRules(): Promise<RuleAnswer[]> {
  const { json } = await faultApi("GET", "/rules", undefined, api);
  // rules made together are listed in no set order: by name, which is the entry's place
  const rules = (json.rules as RuleAnswer[]).filter((rule) => rule.name.startsWith("localstack-"));
  return rules.sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
}

const getObject = () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: "obj" }));
const putObject = () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: "put", Body: "x" }));

describe("LocalStack chaos faults", () => {
  it("faults › an S3 operation with a 503 fails that SDK call and no other; the rule is listed and counted", async () => {
    const entries = [{ service: "s3", region: "us-east-1", operation: "PutObject", error: { statusCode: 503, code: "ServiceUnavailable" } }];
    const set = await chaos("POST", "faults", entries);
    expect(set).toEqual({ status: 200, json: entries });
    expect((await chaos("GET", "faults")).json).toEqual(entries);

    expect(await s3Error(putObject())).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await (await getObject()).Body!.transformToString()).toBe("hello");
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(1);

    const [rule, ...others] = await localstackRules();
    expect(others).toEqual([]);
    expect(rule).toMatchObject({
      name: "localstack-fault-0",
      service: "gateway",
      enabled: true,
      conditions: [{ type: "operation", value: ["PutObject"] }],
      action: { type: "http_error", http_code: 503, error_code: "ServiceUnavailable" },
    });
    expect(await ruleStats(rule!.id, api)).toMatchObject({ injected: 1 });
    const { json: events } = await faultApi("GET", `/events?rule=${rule!.id}`, undefined, api);
    expect(events.events).toEqual([expect.objectContaining({ rule_id: rule!.id, operation: "PutObject", bucket })]);
  });

  it("faults › no error means 503 ServiceUnavailable, and the first matching entry wins", async () => {
    await chaos("POST", "faults", [{ service: "s3", operation: "GetObject", error: { statusCode: 500, code: "InternalError" } }, { service: "s3" }]);
    expect(await s3Error(getObject())).toEqual({ code: "InternalError", status: 500 });
    expect(await s3Error(putObject())).toEqual({ code: "ServiceUnavailable", status: 503 });
    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "obj" })))).toMatchObject({ status: 503 });
  });

  it("faults › PATCH appends, DELETE removes the matching entries, POST [] clears; other rules stay", async () => {
    const own = await addRule({ name: "not LocalStack's", service: "gateway", conditions: [{ type: "bucket", value: "no-such-bucket-here" }], action: { type: "http_error", http_code: 418 } }, api);
    try {
      const put = { service: "s3", operation: "PutObject" };
      const get = { service: "s3", operation: "GetObject", probability: 1 };
      const list = { service: "s3", operation: "ListObjectsV2", error: { statusCode: 429, code: "SlowDown" } };
      await chaos("POST", "faults", [put]);
      expect((await chaos("PATCH", "faults", [get, list])).json).toEqual([put, get, list]);
      expect((await localstackRules()).map((rule) => rule.name)).toEqual(["localstack-fault-0", "localstack-fault-1", "localstack-fault-2"]);
      expect(await s3Error(getObject())).toEqual({ code: "ServiceUnavailable", status: 503 });

      expect((await chaos("DELETE", "faults", [{ operation: "GetObject", probability: 1, service: "s3" }])).json).toEqual([put, list]);
      expect(await (await getObject()).Body!.transformToString()).toBe("hello");
      expect(await s3Error(s3.send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual({ code: "SlowDown", status: 429 });

      expect(await chaos("POST", "faults", [])).toEqual({ status: 200, json: [] });
      expect(await localstackRules()).toEqual([]);
      await putObject();
      const { json } = await faultApi("GET", "/rules", undefined, api);
      expect((json.rules as RuleAnswer[]).map((rule) => rule.id)).toContain(own.id);
    } finally {
      await deleteRule(own.id, api);
    }
  });

  it("faults › two clients replacing the list at once leave one list whole, never a mix", async () => {
    const list = (operation: string) => Array.from({ length: 20 }, (_, i) => ({ operation, probability: (i + 1) / 1000 }));
    const [a, b] = [list("GetBucketTagging"), list("GetBucketLocation")];
    for (let round = 0; round < 3; round++) {
      await Promise.all([chaos("POST", "faults", a), chaos("POST", "faults", b)]);
      const left = (await chaos("GET", "faults")).json;
      expect([JSON.stringify(a), JSON.stringify(b)]).toContain(JSON.stringify(left));
      expect(await localstackRules()).toHaveLength(20);
    }
    await chaos("POST", "faults", []);
  });

  it("faults › PATCH past the last entry number renumbers the list from 0, in its order", async () => {
    // distinct entries on an operation no test here sends
    const entries = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ operation: "GetBucketTagging", probability: (from + i) / 10_000 }));
    const first = entries(0, 500);
    await chaos("POST", "faults", first);
    await chaos("DELETE", "faults", first.slice(0, 499)); // entry 499 left, as number 499
    const second = entries(500, 499);
    expect((await chaos("PATCH", "faults", second)).json).toEqual([first[499], ...second]);
    expect((await localstackRules()).at(-1)!.name).toBe("localstack-fault-998");
    await chaos("DELETE", "faults", [first[499]]);
    const last = entries(999, 1);
    expect((await chaos("PATCH", "faults", last)).json).toEqual([...second, ...last]);
    const names = (await localstackRules()).map((rule) => rule.name);
    expect(names).toEqual(Array.from({ length: 500 }, (_, n) => `localstack-fault-${n}`));
    expect((await chaos("PATCH", "faults", last)).status).toBe(400); // 501 entries
  });

  it("faults › an entry for another service is refused with 400 and the reason; the list stays", async () => {
    await chaos("POST", "faults", [{ service: "s3", operation: "PutObject" }]);
    const refused = await chaos("POST", "faults", [
      { service: "s3", operation: "GetObject" },
      { service: "kinesis", operation: "PutRecord" },
    ]);
    expect(refused.status).toBe(400);
    expect(refused.json.reason).toMatch(/entry 1: .*S3 only.*"kinesis"/);
    for (const [body, reason] of [
      [{ service: "s3" }, /JSON array/],
      [[{ operation: "PutThing" }], /entry 0: operation: unknown S3 operation "PutThing"/],
      [[{ probability: 2 }], /entry 0: probability: a probability is a number from 0 to 1/],
      [[{ error: { statusCode: 200 } }], /entry 0: error.statusCode/],
    ] as const) {
      const answer = await chaos("PATCH", "faults", body);
      expect(answer.status).toBe(400);
      expect(answer.json.reason).toMatch(reason);
    }
    expect((await chaos("GET", "faults")).json).toEqual([{ service: "s3", operation: "PutObject" }]);
  });

  it("faults › probability 0 never fires; an entry for another region never matches", async () => {
    await chaos("POST", "faults", [
      { service: "s3", operation: "GetObject", probability: 0 },
      { service: "s3", region: "eu-west-1", operation: "GetObject" },
    ]);
    for (let i = 0; i < 10; i++) expect(await (await getObject()).Body!.transformToString()).toBe("hello");
    const [never, elsewhere] = await localstackRules();
    expect(await ruleStats(never!.id, api)).toMatchObject({ matched: 10, injected: 0 });
    expect(elsewhere).toMatchObject({ name: "localstack-fault-1", enabled: false });
    expect((await chaos("GET", "faults")).json).toHaveLength(2);
  });
});

describe("LocalStack chaos effects", () => {
  it("effects › latency 300 delays every request by 300 ms; latency 0 removes it", async () => {
    expect(await chaos("GET", "effects")).toEqual({ status: 200, json: { latency: 0 } });
    expect(await chaos("POST", "effects", { latency: 300 })).toEqual({ status: 200, json: { latency: 300 } });
    expect((await chaos("GET", "effects")).json).toEqual({ latency: 300 });
    const [rule] = await localstackRules();
    expect(rule).toMatchObject({ name: "localstack-latency", service: "gateway", conditions: [], action: { type: "delay", delay: "300ms" } });

    const started = performance.now();
    const slow = await signer().fetch(`${stack.endpoint}/${bucket}/obj`);
    expect(await slow.text()).toBe("hello");
    expect(performance.now() - started).toBeGreaterThanOrEqual(300);
    expect(faultOf(slow.headers).rule).toBe(rule!.id);

    expect(await chaos("POST", "effects", { latency: 0 })).toEqual({ status: 200, json: { latency: 0 } });
    expect(await localstackRules()).toEqual([]);
    const quick = await signer().fetch(`${stack.endpoint}/${bucket}/obj`);
    expect(await quick.text()).toBe("hello");
    expect(faultOf(quick.headers).rule).toBeUndefined();
  });

  it("effects › a request a fault entry fails waits the latency too, set before or after the entry", async () => {
    const failedAfter = async () => {
      const started = performance.now();
      const answer = await signer().fetch(`${stack.endpoint}/${bucket}/obj`);
      await answer.arrayBuffer();
      return { status: answer.status, ms: performance.now() - started };
    };
    await chaos("POST", "faults", [{ operation: "GetObject", error: { statusCode: 500, code: "InternalError" } }]);
    expect((await chaos("POST", "effects", { latency: 300 })).status).toBe(200);
    const first = await failedAfter();
    expect(first.status).toBe(500);
    expect(first.ms).toBeGreaterThanOrEqual(300);
    // an entry added while the latency is set carries it too; the list reads as it was sent
    await chaos("POST", "faults", [{ operation: "GetObject", error: { statusCode: 503 } }]);
    const second = await failedAfter();
    expect(second.status).toBe(503);
    expect(second.ms).toBeGreaterThanOrEqual(300);
    expect((await chaos("GET", "faults")).json).toEqual([{ operation: "GetObject", error: { statusCode: 503 } }]);
    // and without the latency, at once again
    await chaos("POST", "effects", { latency: 0 });
    const third = await failedAfter();
    expect(third.status).toBe(503);
    expect(third.ms).toBeLessThan(300);
    expect((await localstackRules()).map((rule) => [rule.name, rule.action.delay])).toEqual([["localstack-fault-0", undefined]]);
  });

  it("effects › a bad body is refused with 400 and the reason", async () => {
    for (const body of [{ latency: -1 }, { latency: "300" }, { latency: 1.5 }, { jitter: 5 }]) {
      const answer = await chaos("POST", "effects", body);
      expect(answer.status).toBe(400);
      expect(answer.json.reason).toMatch(/latency|jitter/);
    }
  });
});

describe("LocalStack chaos API addressing", () => {
  it("addressing › a virtual-hosted bucket's key /_localstack/chaos/faults is S3; the path is guarded as the control plane is", async () => {
    const host = `${bucket}.localhost:${new URL(stack.endpoint).port}`;
    const body = '[{"operation": "GetObject"}]';
    const stored = await rawRequest({ origin: stack.endpoint, method: "PUT", path: "/_localstack/chaos/faults", headers: { host }, body });
    expect(stored.status, stored.body).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "_localstack/chaos/faults" }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect((await chaos("GET", "faults")).json).toEqual([]);

    const plain = await fetch(`${stack.endpoint}/_localstack/chaos/faults`, { method: "POST", headers: { "content-type": "text/plain" }, body });
    expect(plain.status).toBe(415);
    // a page that rebinds its own name to this machine is refused, as by every control API
    const rebound = await rawRequest({ origin: stack.endpoint, method: "GET", path: "/_localstack/chaos/faults", headers: { host: "rebinding.example" } });
    expect(rebound.status).toBe(403);
    expect((await chaos("GET", "faults")).json).toEqual([]);
  });
});
