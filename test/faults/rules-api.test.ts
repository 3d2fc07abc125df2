/**
 * The rule API over HTTP (mock-error-service): bad rules refused with 400 and the reason and
 * never stored, unknown ids 404, and changes (PATCH, PUT) in force at the gateway as soon as
 * the API has answered. Every rule is scoped to a bucket of this file's and deleted after.
 */
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { addRule, deleteRule, faultApi, faultOf, scoped, type RuleAnswer } from "../helpers/faults";
import { endpoint, s3Client, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();
const TEAPOT = { type: "http_error", http_code: 418 };
const MISSING = "00000000-0000-4000-8000-000000000000";

/** Named now: the table of bad rules below is built before any hook runs. */
const bucket = uniqueBucketName("rules-api");
let rules: string[] = [];

beforeAll(async () => {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "obj", Body: "hello" }));
});

afterEach(async () => {
  await Promise.all(rules.map((id) => deleteRule(id)));
  rules = [];
});

async function rule(fields: { conditions?: unknown[]; action: Record<string, unknown>; [field: string]: unknown }): Promise<RuleAnswer> {
  const answer = await addRule(scoped(bucket, fields));
  rules.push(answer.id);
  return answer;
}

/** A GET of the bucket's object: its status and the rule that touched it, if any. */
async function probe(): Promise<{ status: number; rule?: string }> {
  const response = await signer().fetch(`${endpoint()}/${bucket}/obj`);
  await response.arrayBuffer();
  return { status: response.status, rule: faultOf(response.headers).rule };
}

/** Rules on this file's bucket, as the API lists them. */
async function listed(): Promise<RuleAnswer[]> {
  const { status, json } = await faultApi("GET", "/rules");
  expect(status).toBe(200);
  return (json.rules as RuleAnswer[]).filter((r) => JSON.stringify(r.conditions).includes(bucket));
}

const bad = (fields: Record<string, unknown>) => scoped(bucket, { action: TEAPOT, ...fields });

describe("rule API validation", () => {
  const refused: Array<[string, unknown, RegExp]> = [
    ["an unknown condition type", bad({ conditions: [{ type: "moon_phase", value: "full" }] }), /unknown condition type "moon_phase"/],
    ["an unknown action type", bad({ action: { type: "explode" } }), /unknown action type "explode"/],
    ["a probability above 1", bad({ conditions: [{ type: "probability", value: 10 }] }), /a probability is a number from 0 to 1/],
    ["a probability as a string", bad({ conditions: [{ type: "probability", value: "10%" }] }), /a probability is a number from 0 to 1/],
    ["an unknown service", bad({ service: "cache-service" }), /unknown service "cache-service"/],
    ["an unknown operation", bad({ conditions: [{ type: "operation", value: "GetObjects" }] }), /unknown S3 operation "GetObjects"/],
    ["a bad duration", bad({ action: { type: "delay", delay: "2 sec" } }), /action\.delay: is not a duration/],
    ["negative nanoseconds", bad({ action: { type: "delay", delay: -2_000_000_000 } }), /action\.delay: is not a duration/],
    ["a key with prefix and regex", bad({ conditions: [{ type: "key", prefix: "a/", regex: "^a/" }] }), /needs exactly one of prefix, glob, regex/],
    ["a bad regex", bad({ conditions: [{ type: "key", regex: "*.log" }] }), /is not a valid regular expression/],
    ["a bad CIDR block", bad({ conditions: [{ type: "source", value: "300.0.0.0/8" }] }), /is not an IP address or CIDR block/],
    ["ack_then_drop without an operation", bad({ action: { type: "ack_then_drop" } }), /ack_then_drop needs an operation condition/],
    ["error_in_200 on GetObject", bad({ conditions: [{ type: "operation", value: "GetObject" }], action: { type: "error_in_200" } }), /error_in_200 needs an operation condition/],
    ["truncate on storage-service", bad({ service: "storage-service", action: { type: "truncate", fraction: 0.5 } }), /only the gateway can take it/],
    [
      "two max_injections",
      bad({
        conditions: [
          { type: "max_injections", value: 1 },
          { type: "max_injections", value: 2 },
        ],
      }),
      /may appear once each/,
    ],
    ["an unknown field", bad({ enabeld: false }), /Unrecognized key: "enabeld"/],
    ["a list with something other than a rule in it", [bad({}), 42], /^rule 1: .*expected object/],
  ];

  it.each(refused)("POST /rules › refuses %s with 400 and the reason, storing nothing", async (_, body, reason) => {
    const { status, json } = await faultApi("POST", "/rules", body);
    expect(status).toBe(400);
    expect(json.error).toBe("bad_request");
    expect(json.reason).toMatch(reason);
    expect(await listed()).toEqual([]);
  });

  it("POST /rules › refuses a body that is not JSON, or no body, with 400", async () => {
    const broken = await faultApi("POST", "/rules", '{"name": "x", ');
    expect(broken.status).toBe(400);
    expect(broken.json).toMatchObject({ error: "bad_request", reason: expect.stringMatching(/not valid JSON/) });
    const empty = await faultApi("POST", "/rules", "");
    expect(empty.status).toBe(400);
    expect(empty.json.reason).toMatch(/no JSON body/);
  });

  it("POST /rules › accepts durations as integer nanoseconds, and gives them back as sent", async () => {
    const created = await rule({ action: { type: "delay", delay: 2_000_000_000 }, conditions: [{ type: "probability", value: 0 }] });
    expect(created.action).toEqual({ type: "delay", delay: 2_000_000_000 });
    const { status, json } = await faultApi("GET", `/rules/${created.id}`);
    expect(status).toBe(200);
    expect(json.action).toEqual({ type: "delay", delay: 2_000_000_000 });
  });

  it("POST /rules › a nanosecond delay is in force as written (250,000,000 ns ≥ 250 ms)", async () => {
    const slow = await rule({ action: { type: "delay", delay: 250_000_000 } });
    const started = performance.now();
    const response = await signer().fetch(`${endpoint()}/${bucket}/obj`);
    expect(await response.text()).toBe("hello");
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(faultOf(response.headers)).toEqual({ rule: slow.id, action: "delay" });
  });

  it.each([
    ["GET", undefined],
    ["PUT", scoped("anything", { action: TEAPOT })],
    ["PATCH", { enabled: false }],
    ["DELETE", undefined],
  ])("%s /rules/:id › 404 for an id that does not exist", async (method, body) => {
    const { status, json } = await faultApi(method, `/rules/${MISSING}`, body);
    expect(status).toBe(404);
    expect(json).toMatchObject({ error: "not_found", reason: expect.stringContaining(MISSING) });
  });

  it("POST /rules/:id/enable|disable › 404 for an id that does not exist", async () => {
    for (const verb of ["enable", "disable"]) expect((await faultApi("POST", `/rules/${MISSING}/${verb}`)).status).toBe(404);
  });

  it('PATCH /rules/:id › {"enabled": false} stops the rule at once, and true brings it back', async () => {
    const teapot = await rule({ action: TEAPOT });
    expect(await probe()).toEqual({ status: 418, rule: teapot.id });
    const off = await faultApi("PATCH", `/rules/${teapot.id}`, { enabled: false });
    expect(off.status).toBe(200);
    expect(off.json).toMatchObject({ id: teapot.id, enabled: false, action: TEAPOT });
    // Pushed to the gateway before the API answered: no wait, no poll.
    expect(await probe()).toEqual({ status: 200, rule: undefined });
    const on = await faultApi("PATCH", `/rules/${teapot.id}`, { enabled: true });
    expect(on.json.enabled).toBe(true);
    expect(await probe()).toEqual({ status: 418, rule: teapot.id });
  });

  it("POST /rules/:id/disable › stops the rule at once too", async () => {
    const teapot = await rule({ action: TEAPOT });
    expect((await probe()).status).toBe(418);
    expect((await faultApi("POST", `/rules/${teapot.id}/disable`)).json.enabled).toBe(false);
    expect(await probe()).toEqual({ status: 200, rule: undefined });
  });

  it("PATCH /rules/:id › refuses a bad change with 400 and leaves the rule as it was", async () => {
    const teapot = await rule({ action: TEAPOT });
    const patched = await faultApi("PATCH", `/rules/${teapot.id}`, { action: { type: "http_error", http_code: 200 } });
    expect(patched.status).toBe(400);
    expect(patched.json.reason).toMatch(/action\.http_code/);
    expect((await faultApi("PATCH", `/rules/${teapot.id}`, [1])).status).toBe(400);
    expect((await faultApi("GET", `/rules/${teapot.id}`)).json.action).toEqual(TEAPOT);
    expect(await probe()).toEqual({ status: 418, rule: teapot.id });
  });

  it("PUT /rules/:id › replaces the whole rule, keeping its id", async () => {
    const teapot = await rule({ action: TEAPOT, description: "first" });
    expect((await probe()).status).toBe(418);
    const replacement = scoped(bucket, { name: "replaced", action: { type: "http_error", http_code: 503, error_code: "SlowDown" } });
    const put = await faultApi("PUT", `/rules/${teapot.id}`, replacement);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ id: teapot.id, name: "replaced", description: "", action: replacement.action, created_at: teapot.created_at });
    expect(put.json.updated_at > (teapot.updated_at as string)).toBe(true);
    expect(await probe()).toEqual({ status: 503, rule: teapot.id });
    expect(await listed()).toHaveLength(1);
  });

  it("PUT /rules/:id › a refused replacement leaves the old rule in force", async () => {
    const teapot = await rule({ action: TEAPOT });
    const put = await faultApi("PUT", `/rules/${teapot.id}`, scoped(bucket, { action: { type: "delay", delay: "soon" } }));
    expect(put.status).toBe(400);
    expect(put.json.reason).toMatch(/action\.delay: is not a duration/);
    const { json } = await faultApi("GET", `/rules/${teapot.id}`);
    expect(json).toEqual(teapot);
    expect(await probe()).toEqual({ status: 418, rule: teapot.id });
    expect((await faultApi("PUT", `/rules/${teapot.id}`, "{not json")).status).toBe(400);
    expect(await probe()).toEqual({ status: 418, rule: teapot.id });
  });

  it("DELETE /rules/:id › removes the rule at once; a second delete is 404", async () => {
    const teapot = await addRule(scoped(bucket, { action: TEAPOT }));
    expect((await probe()).status).toBe(418);
    expect((await faultApi("DELETE", `/rules/${teapot.id}`)).status).toBe(204);
    expect(await probe()).toEqual({ status: 200, rule: undefined });
    expect((await faultApi("DELETE", `/rules/${teapot.id}`)).status).toBe(404);
    expect((await faultApi("GET", `/rules/${teapot.id}`)).status).toBe(404);
  });
});
