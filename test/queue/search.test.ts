/**
 * GET /api/v1/search on metadata-service: the index queue-service keeps from the buckets'
 * object events (libSQL in the sidecar), asked by every filter, paged, and kept consistent
 * through overwrites, tag changes and deletes. Each test waits until the index has caught up
 * (the events go through the queue), then asserts exact answers.
 */
import { DeleteObjectCommand, PutObjectCommand, PutObjectTaggingCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { waitFor } from "../helpers/anomalies";
import { newBucket, s3Client } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;
let between: number;

async function search(query: Record<string, string | string[]>): Promise<{ status: number; json: any }> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const v of [value].flat()) params.append(name, v);
  const response = await fetch(`${inject("services")["metadata-service"]}/api/v1/search?${params}`);
  return { status: response.status, json: await response.json() };
}

async function keys(query: Record<string, string | string[]>): Promise<string[]> {
  const { status, json } = await search({ bucket, ...query });
  expect(status).toBe(200);
  return json.objects.map((o: { key: string }) => o.key);
}

/** Waits until the index answers `query` with `expected`. */
async function indexed(query: Record<string, string | string[]>, expected: string[]): Promise<void> {
  await waitFor(`the index to answer ${JSON.stringify(query)} with ${expected.join(", ")}`, async () => JSON.stringify(await keys(query)) === JSON.stringify(expected));
}

const put = (key: string, body: string, extra: Record<string, unknown> = {}) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ...extra }));

beforeAll(async () => {
  bucket = await newBucket("search");
  await put("photos/cat.jpg", "x".repeat(3000), { ContentType: "image/jpeg", Metadata: { camera: "nikon" }, Tagging: "animal=cat&public=yes" });
  await put("photos/dog.png", "x".repeat(5000), { ContentType: "image/png", Metadata: { camera: "canon" }, Tagging: "animal=dog" });
  await new Promise((resolve) => setTimeout(resolve, 20));
  between = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await put("docs/readme.txt", "x".repeat(100), { ContentType: "text/plain", Metadata: { owner: "ops" } });
  await put("docs/report 100%.pdf", "x".repeat(8000), { ContentType: "application/pdf", Tagging: "public=no" });
  await indexed({}, ["docs/readme.txt", "docs/report 100%.pdf", "photos/cat.jpg", "photos/dog.png"]);
});

describe("GET /api/v1/search", () => {
  it("each filter › prefix, tag (with and without a value), user metadata, content type (exact and family), size and time ranges", async () => {
    expect(await keys({ prefix: "photos/" })).toEqual(["photos/cat.jpg", "photos/dog.png"]);
    expect(await keys({ prefix: "Photos/" })).toEqual([]);
    expect(await keys({ tag: "animal=cat" })).toEqual(["photos/cat.jpg"]);
    expect(await keys({ tag: "public" })).toEqual(["docs/report 100%.pdf", "photos/cat.jpg"]);
    expect(await keys({ tag: ["public=yes", "animal=cat"] })).toEqual(["photos/cat.jpg"]);
    expect(await keys({ tag: ["public=yes", "animal=dog"] })).toEqual([]);
    expect(await keys({ meta: "camera=canon" })).toEqual(["photos/dog.png"]);
    expect(await keys({ meta: "x-amz-meta-owner=ops" })).toEqual(["docs/readme.txt"]);
    expect(await keys({ meta: "camera" })).toEqual(["photos/cat.jpg", "photos/dog.png"]);
    expect(await keys({ content_type: "image/png" })).toEqual(["photos/dog.png"]);
    expect(await keys({ content_type: "image/*" })).toEqual(["photos/cat.jpg", "photos/dog.png"]);
    expect(await keys({ min_size: "3000", max_size: "5000" })).toEqual(["photos/cat.jpg", "photos/dog.png"]);
    expect(await keys({ min_size: "5001" })).toEqual(["docs/report 100%.pdf"]);
    expect(await keys({ modified_after: new Date(between).toISOString() })).toEqual(["docs/readme.txt", "docs/report 100%.pdf"]);
    expect(await keys({ modified_before: String(between) })).toEqual(["photos/cat.jpg", "photos/dog.png"]);
    expect(await keys({ prefix: "docs/report 100%" })).toEqual(["docs/report 100%.pdf"]);
  });

  it("an object's fields › bucket, key, size, ETag, version, content type, time, metadata and tags", async () => {
    const { json } = await search({ bucket, prefix: "photos/cat" });
    expect(json).toMatchObject({ count: 1, truncated: false });
    expect(json.objects[0]).toEqual({
      bucket,
      key: "photos/cat.jpg",
      size: 3000,
      etag: expect.stringMatching(/^"[0-9a-f]{32}"$/),
      version_id: "null",
      content_type: "image/jpeg",
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      user_metadata: { camera: "nikon" },
      tags: { animal: "cat", public: "yes" },
    });
  });

  it("paging › limit and next_cursor walk every match once, in key order", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { status, json } = await search({ bucket, limit: "3", ...(cursor ? { cursor } : {}) });
      expect(status).toBe(200);
      seen.push(...json.objects.map((o: { key: string }) => o.key));
      cursor = json.next_cursor;
      expect(json.truncated).toBe(cursor !== undefined);
      if (!cursor) break;
    }
    expect(seen).toEqual(["docs/readme.txt", "docs/report 100%.pdf", "photos/cat.jpg", "photos/dog.png"]);
  });

  it("bad queries › 400 with the reason", async () => {
    for (const [query, reason] of [
      [{ buckett: bucket }, /unknown parameter "buckett"/],
      [{ limit: "0" }, /limit/],
      [{ limit: "1001" }, /limit/],
      [{ min_size: "-1" }, /min_size/],
      [{ min_size: "10", max_size: "5" }, /min_size is above max_size/],
      [{ modified_after: "yesterday" }, /modified_after/],
      [{ cursor: "nonsense" }, /cursor/],
      [{ tag: "=v" }, /tag needs a name/],
      [{ prefix: ["a", "b"] }, /"prefix" may be given once/],
    ] as const) {
      const { status, json } = await search(query as Record<string, string | string[]>);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(json.message).toMatch(reason);
    }
  });

  it("bad encodings › invalid UTF-8, NUL and over-long values answer 400 with the reason", async () => {
    for (const [raw, reason] of [
      ["prefix=%FF%FE", /not valid percent-encoded UTF-8/],
      ["prefix=%E2%82", /not valid percent-encoded UTF-8/],
      ["bucket=a%00b", /NUL/],
      [`prefix=${"k".repeat(1025)}`, /longer than 1024 bytes/],
      [`tag=${"%C3%A9".repeat(513)}`, /longer than 1024 bytes/],
    ] as const) {
      const response = await fetch(`${inject("services")["metadata-service"]}/api/v1/search?${raw}`);
      expect(response.status, raw).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(reason);
    }
  });

  it("the index's own API › a body that is not JSON or not the expected shape answers 400 with the reason and writes nothing", async () => {
    const sidecar = `http://127.0.0.1:${Number(new URL(inject("endpoint")).port) + 10}/index`;
    for (const path of ["/apply", "/dead-letters"]) {
      for (const body of ["{", "[null]", '[{"bogus":1}]', '{"bucket":"b","objects":{"k":{"key":1}}}', "null"]) {
        const response = await fetch(`${sidecar}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body });
        expect(response.status, `${path} ${body}`).toBe(400);
        expect(((await response.json()) as { message: string }).message.length).toBeGreaterThan(0);
      }
    }
    // the one body that named a bucket put nothing in the index
    expect((await search({ bucket: "b" })).json.objects).toEqual([]);
  });

  it("a burst › 500 PUTs from 25 writers (events taken in rounds of 200, the rest by the next message) are all indexed", async () => {
    const own = await newBucket("search-burst");
    const expected = Array.from({ length: 500 }, (_, i) => `k${String(i).padStart(4, "0")}`);
    const writers = Array.from({ length: 25 }, async (_, w) => {
      for (let i = w; i < expected.length; i += 25) await s3.send(new PutObjectCommand({ Bucket: own, Key: expected[i], Body: "b" }));
    });
    await Promise.all(writers);
    await waitFor("every key indexed", async () => (await keys({ bucket: own, limit: "1000" })).length === expected.length);
    expect(await keys({ bucket: own, limit: "1000" })).toEqual(expected);
  });

  it("changes › an overwrite replaces the indexed object, new tags are found, a delete removes it", async () => {
    const own = await newBucket("search-changes");
    const changes = (query: Record<string, string>) => keys({ ...query, bucket: own });
    await s3.send(new PutObjectCommand({ Bucket: own, Key: "a.txt", Body: "one", ContentType: "text/plain", Metadata: { v: "1" } }));
    await s3.send(new PutObjectCommand({ Bucket: own, Key: "b.txt", Body: "two", ContentType: "text/plain" }));
    await waitFor("both indexed", async () => (await changes({})).length === 2);
    await s3.send(new PutObjectCommand({ Bucket: own, Key: "a.txt", Body: "a longer body", ContentType: "application/json", Metadata: { v: "2" } }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: own, Key: "b.txt", Tagging: { TagSet: [{ Key: "state", Value: "archived" }] } }));
    await waitFor("the overwrite and the tags", async () => (await changes({ meta: "v=2" })).length === 1 && (await changes({ tag: "state=archived" })).length === 1);
    expect(await changes({ meta: "v=1" })).toEqual([]);
    expect(await changes({ content_type: "text/plain" })).toEqual(["b.txt"]);
    const { json } = await search({ bucket: own, prefix: "a.txt" });
    expect(json.objects[0]).toMatchObject({ size: 13, content_type: "application/json", user_metadata: { v: "2" } });
    await s3.send(new DeleteObjectCommand({ Bucket: own, Key: "a.txt" }));
    await waitFor("the delete", async () => (await changes({})).length === 1);
    expect(await changes({})).toEqual(["b.txt"]);
  });
});
