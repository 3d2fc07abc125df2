/**
 * Every fault condition on the running stack, each with a request that meets it (the rule's
 * injected 418, naming the rule) and a near miss that does not (the ordinary answer, no fault
 * headers). Each test has a bucket of its own and deletes its rules, as other files run
 * alongside on the same stack.
 */
import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_KEY, OTHER_KEY } from "../helpers/credentials";
import { addRule, deleteRule, faultOf, scoped, type RuleAnswer } from "../helpers/faults";
import { endpoint, newBucket, s3Client, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();
const TEAPOT = { type: "http_error", http_code: 418, error_code: "ChaosTeapot", message: "injected by a condition test" };

let bucket: string;
let rules: string[] = [];

beforeEach(async () => {
  bucket = await newBucket("cond");
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "obj", Body: "hello" }));
});

afterEach(async () => {
  await Promise.all(rules.map((id) => deleteRule(id)));
  rules = [];
});

/** A rule on this test's bucket that answers 418 when its conditions hold. */
async function rule(...conditions: unknown[]): Promise<RuleAnswer> {
  const answer = await addRule(scoped(bucket, { conditions, action: TEAPOT }));
  rules.push(answer.id);
  return answer;
}

async function dropRule(answer: RuleAnswer): Promise<void> {
  await deleteRule(answer.id);
  rules = rules.filter((id) => id !== answer.id);
}

interface Send {
  method?: string;
  query?: string;
  headers?: Record<string, string>;
  /** added after signing, as a proxy or an attacker would */
  unsigned?: Record<string, string>;
  body?: string;
  key?: typeof DEFAULT_KEY;
  in?: string;
}

/** A signed request to `<bucket>/<path>`; the body is read so the connection is free again. */
async function send(path: string, init: Send = {}): Promise<{ status: number; headers: Headers; body: string }> {
  const url = `${endpoint()}/${init.in ?? bucket}/${path}${init.query ? `?${init.query}` : ""}`;
  const request = await signer(init.key).sign(url, { method: init.method ?? "GET", headers: init.headers, body: init.body });
  for (const [name, value] of Object.entries(init.unsigned ?? {})) request.headers.set(name, value);
  const response = await fetch(request);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

function expectHit(answer: { status: number; headers: Headers }, rule: RuleAnswer): void {
  expect(answer.status).toBe(418);
  expect(faultOf(answer.headers)).toEqual({ rule: rule.id, action: "http_error" });
}

function expectMiss(answer: { status: number; headers: Headers }, status = 200): void {
  expect(faultOf(answer.headers)).toEqual({ rule: undefined, action: undefined });
  expect(answer.status).toBe(status);
}

describe("fault conditions", () => {
  it("conditions › a hit is the rule's S3 error document, naming the rule", async () => {
    const teapot = await rule();
    const answer = await send("obj");
    expectHit(answer, teapot);
    expect(answer.body).toContain("<Code>ChaosTeapot</Code>");
    expect(answer.body).toContain("<Message>injected by a condition test</Message>");
  });

  it("conditions › operation: PutObject hits, GetObject of the same key misses", async () => {
    const puts = await rule({ type: "operation", value: "PutObject" });
    expectHit(await send("obj", { method: "PUT", body: "x" }), puts);
    expectMiss(await send("obj"));
  });

  it("conditions › method: HEAD hits, GET misses", async () => {
    const heads = await rule({ type: "method", value: "HEAD" });
    expectHit(await send("obj", { method: "HEAD" }), heads);
    expectMiss(await send("obj"));
  });

  it("conditions › bucket: a glob hits its buckets and misses a neighbour", async () => {
    const base = uniqueBucketName("cglob");
    const [inside, outside] = [`${base}-a1`, `${base}-b1`];
    for (const name of [inside, outside]) expectMiss(await send("", { method: "PUT", in: name }));
    const glob = await addRule({ name: `glob on ${base}`, service: "gateway", conditions: [{ type: "bucket", value: `${base}-a*` }], action: TEAPOT });
    rules.push(glob.id);
    expectHit(await send("obj", { in: inside }), glob);
    expectMiss(await send("obj", { in: outside }), 404);
  });

  it("conditions › key prefix: logs/ hits logs/x and misses log/x", async () => {
    const logs = await rule({ type: "key", prefix: "logs/" });
    expectHit(await send("logs/x", { method: "PUT", body: "x" }), logs);
    expectMiss(await send("log/x", { method: "PUT", body: "x" }));
  });

  it("conditions › key glob and regex: hit, and a key one character off misses", async () => {
    const glob = await rule({ type: "key", glob: "tmp/*.part" });
    expectHit(await send("tmp/a/b.part", { method: "PUT", body: "x" }), glob);
    expectMiss(await send("tmp/a/b.parts", { method: "PUT", body: "x" }));
    await dropRule(glob);
    const regex = await rule({ type: "key", regex: "^v\\d+/" });
    expectHit(await send("v12/x", { method: "PUT", body: "x" }), regex);
    expectMiss(await send("vx/x", { method: "PUT", body: "x" }));
  });

  it("conditions › header equals: the exact value hits, the same value in another case misses", async () => {
    const chaos = await rule({ type: "header", name: "X-Chaos-Mode", equals: "On" });
    expectHit(await send("obj", { headers: { "x-chaos-mode": "On" } }), chaos);
    expectMiss(await send("obj", { headers: { "x-chaos-mode": "on" } }));
    expectMiss(await send("obj"));
  });

  it("conditions › header regex and present: true and false", async () => {
    const regex = await rule({ type: "header", name: "x-chaos-mode", regex: "^fail-\\d+$" });
    expectHit(await send("obj", { headers: { "x-chaos-mode": "fail-42" } }), regex);
    expectMiss(await send("obj", { headers: { "x-chaos-mode": "fail-x" } }));
    await dropRule(regex);
    const present = await rule({ type: "header", name: "x-chaos-mode", present: true });
    expectHit(await send("obj", { headers: { "x-chaos-mode": "" } }), present);
    expectMiss(await send("obj"));
    await dropRule(present);
    const absent = await rule({ type: "header", name: "x-chaos-mode", present: false });
    expectHit(await send("obj"), absent);
    expectMiss(await send("obj", { headers: { "x-chaos-mode": "1" } }));
  });

  it("conditions › query: response-content-type=text/plain hits, text/Plain misses", async () => {
    const query = await rule({ type: "query", name: "response-content-type", equals: "text/plain" });
    expectHit(await send("obj", { query: "response-content-type=text%2Fplain" }), query);
    expectMiss(await send("obj", { query: "response-content-type=text%2FPlain" }));
    expectMiss(await send("obj"));
  });

  it("conditions › source: the front door's client address 127.0.0.1 hits 127.0.0.1/32 and misses 10.0.0.0/8", async () => {
    const loopback = await rule({ type: "source", value: "127.0.0.1/32" });
    expectHit(await send("obj"), loopback);
    await dropRule(loopback);
    await rule({ type: "source", value: ["10.0.0.0/8", "127.0.0.2"] });
    expectMiss(await send("obj"));
  });

  it("conditions › source: a client cannot claim another address with the front door's header", async () => {
    await rule({ type: "source", value: "10.0.0.0/8" });
    expectMiss(await send("obj", { unsigned: { "x-mocks3-client-address": "10.1.2.3" } }));
  });

  it("conditions › user agent: contains hits, one letter short misses", async () => {
    const probe = await rule({ type: "user_agent", contains: "chaos-probe" });
    expectHit(await send("obj", { headers: { "user-agent": "my-Chaos-Probe/1.0" } }), probe);
    expectMiss(await send("obj", { headers: { "user-agent": "my-chaos-prob/1.0" } }));
    await dropRule(probe);
    const regex = await rule({ type: "user_agent", regex: "^probe/\\d" });
    expectHit(await send("obj", { headers: { "user-agent": "probe/2" } }), regex);
    expectMiss(await send("obj", { headers: { "user-agent": "xprobe/2" } }));
  });

  it("conditions › access key: the named key hits, the default key misses", async () => {
    const other = await rule({ type: "access_key", value: OTHER_KEY.accessKeyId });
    expectHit(await send("obj", { key: OTHER_KEY }), other);
    expectMiss(await send("obj", { key: DEFAULT_KEY }));
  });

  it("conditions › content length: 10 and 20 bytes hit a 10–20 range, 9 and 21 miss", async () => {
    const range = await rule({ type: "content_length", min: 10, max: 20 });
    for (const size of [10, 20]) expectHit(await send(`sized-${size}`, { method: "PUT", body: "x".repeat(size) }), range);
    for (const size of [9, 21]) expectMiss(await send(`sized-${size}`, { method: "PUT", body: "x".repeat(size) }));
  });

  it("conditions › part number: part 3 hits, its neighbours miss; a range hits its ends only", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "big" }));
    const part = (n: number) => send("big", { method: "PUT", query: `partNumber=${n}&uploadId=${encodeURIComponent(UploadId!)}`, body: "part" });
    try {
      const three = await rule({ type: "part_number", value: 3 });
      expectHit(await part(3), three);
      for (const n of [2, 4]) expectMiss(await part(n));
      await dropRule(three);
      const range = await rule({ type: "part_number", min: 5, max: 7 });
      for (const n of [5, 7]) expectHit(await part(n), range);
      for (const n of [4, 8]) expectMiss(await part(n));
    } finally {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "big", UploadId }));
    }
  });

  it("conditions › time window: now inside hits, a window in the past or future misses, open ends", async () => {
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const now = await rule({ type: "time_window", start: at(-60_000), end: at(60_000) });
    expectHit(await send("obj"), now);
    await dropRule(now);
    const sinceAnHourAgo = await rule({ type: "time_window", start: at(-3_600_000) });
    expectHit(await send("obj"), sinceAnHourAgo);
    await dropRule(sinceAnHourAgo);
    await rule({ type: "time_window", start: at(-120_000), end: at(-60_000) });
    await rule({ type: "time_window", start: at(3_600_000) });
    await rule({ type: "time_window", end: at(-1_000) });
    expectMiss(await send("obj"));
  });

  it("conditions › probability: 1 always hits, 0 never does", async () => {
    const always = await rule({ type: "probability", value: 1 });
    for (let i = 0; i < 3; i++) expectHit(await send("obj"), always);
    await dropRule(always);
    await rule({ type: "probability", value: 0 });
    for (let i = 0; i < 3; i++) expectMiss(await send("obj"));
  });

  it("conditions › skip_first 2: the first two miss, the third hits", async () => {
    const skip = await rule({ type: "skip_first", value: 2 });
    expectMiss(await send("obj"));
    expectMiss(await send("obj"));
    expectHit(await send("obj"), skip);
  });

  it("conditions › max_injections 2: two hits, then the third misses", async () => {
    const twice = await rule({ type: "max_injections", value: 2 });
    expectHit(await send("obj"), twice);
    expectHit(await send("obj"), twice);
    expectMiss(await send("obj"));
  });

  it("conditions › every_nth 2: misses, hits, misses, hits", async () => {
    const even = await rule({ type: "every_nth", value: 2 });
    expectMiss(await send("obj"));
    expectHit(await send("obj"), even);
    expectMiss(await send("obj"));
    expectHit(await send("obj"), even);
  });

  it("conditions › count gates count only requests that meet the other conditions", async () => {
    const second = await rule({ type: "key", prefix: "hot/" }, { type: "skip_first", value: 1 });
    expectMiss(await send("cold", { method: "PUT", body: "x" }));
    expectMiss(await send("hot/1", { method: "PUT", body: "x" }));
    expectMiss(await send("cold", { method: "PUT", body: "x" }));
    expectHit(await send("hot/2", { method: "PUT", body: "x" }), second);
  });
});
