/**
 * Load for the fault engine's tests on a stack of their own: many plain (unsigned, the
 * stack's relaxed auth lets them through) S3 requests at a bounded concurrency, each
 * answer kept with its status, its fault headers and how long it took; and a clean slate
 * between tests (no rules, no global seed, stats and events cleared).
 */
import { expect } from "vitest";
import { faultApi, faultOf } from "./faults";

export interface TimedAnswer {
  status: number;
  /** the rule named by `x-mocks3-fault-rule`, if one touched the answer */
  rule?: string;
  action?: string;
  requestId?: string;
  body: string;
  ms: number;
}

export async function timedRequest(url: string, init: RequestInit = {}): Promise<TimedAnswer> {
  const started = performance.now();
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  const text = response.headers.get("content-type")?.includes("xml") ? body.toString("utf8") : "";
  return { status: response.status, ...faultOf(response.headers), requestId: response.headers.get("x-amz-request-id") ?? undefined, body: text, ms: performance.now() - started };
}

/** Runs `one(0)` … `one(count - 1)` with at most `concurrency` in flight; answers in index order. */
export async function inParallel<T>(count: number, concurrency: number, one: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await one(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Every rule deleted, the global seed cleared, stats and events reset. */
export async function clearFaults(base: string): Promise<void> {
  const { status } = await faultApi("DELETE", "/rules", undefined, base);
  if (status !== 200) throw new Error(`DELETE /rules answered ${status}`);
  await faultApi("PUT", "/seed", { seed: null }, base);
  await faultApi("POST", "/reset", undefined, base);
}

/** Events matching `query` (e.g. `rule=…&service=…`), every page of them, newest first. */
export async function allEvents(base: string, query = "", limit = 1000): Promise<Array<Record<string, any>>> {
  const events: Array<Record<string, any>> = [];
  let before: number | null | undefined;
  do {
    const page = await faultApi("GET", `/events?limit=${limit}${query ? `&${query}` : ""}${before ? `&before=${before}` : ""}`, undefined, base);
    if (page.status !== 200) throw new Error(`events refused (${page.status}): ${JSON.stringify(page.json)}`);
    events.push(...page.json.events);
    before = page.json.next;
  } while (before);
  return events;
}

/** Creates `bucket` (if need be) and puts `bytes` bytes at `key`, unsigned; the object's URL. */
export async function putTestObject(endpoint: string, bucket: string, key: string, bytes: number): Promise<string> {
  await fetch(`${endpoint}/${bucket}/`, { method: "PUT" });
  const response = await fetch(`${endpoint}/${bucket}/${key}`, { method: "PUT", body: Buffer.alloc(bytes, 7) });
  expect(response.status).toBe(200);
  return `${endpoint}/${bucket}/${key}`;
}
