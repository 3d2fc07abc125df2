/**
 * Read-through buckets: a bucket configured (third-party-service, 8084) with an upstream S3
 * source serves the objects it lacks from the upstream, stores them, and never reads the
 * upstream for them again. The upstream is s3rver behind a proxy that counts and checks
 * every request MockS3 sends it (helpers/upstream-s3.ts).
 */
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { freePortRange } from "../helpers/ports";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { startUpstreamS3, UPSTREAM_KEY, type UpstreamS3 } from "../helpers/upstream-s3";
import { upstreamsApi } from "../helpers/upstreams";

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");
const SOURCE = "upstream-source";

let upstream: UpstreamS3;
let bucket: string;

async function putUpstream(key: string, body: Uint8Array | string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) {
  return upstream.client().send(new PutObjectCommand({ Bucket: SOURCE, Key: key, Body: body, ...extra }));
}

async function get(key: string, extra: Partial<ConstructorParameters<typeof GetObjectCommand>[0]> = {}) {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key, ...extra }));
  return { out, bytes: await out.Body!.transformToByteArray() };
}

beforeAll(async () => {
  upstream = await startUpstreamS3([SOURCE]);
  bucket = await newBucket("read-through");
  const { status } = await upstreamsApi("PUT", `/${bucket}`, { endpoint: upstream.url, bucket: SOURCE, access_key_id: UPSTREAM_KEY.accessKeyId, secret_access_key: UPSTREAM_KEY.secretAccessKey });
  expect(status).toBe(201);
});

afterAll(async () => {
  await upstream?.stop();
});

describe("GetObject › read-through", () => {
  it.each([
    ["an inline object", "docs/small.txt", pattern(1000, 41)],
    ["a 3 MiB object", "big/three mib+.bin", pattern(3 * 1024 * 1024, 42)],
  ])("serves %s found only upstream with its bytes, type and metadata; the second GET and a HEAD never reach the upstream", async (_, key, body) => {
    const put = await putUpstream(key, body, { ContentType: "text/x-test", Metadata: { colour: "blue" }, CacheControl: "max-age=60" });
    const first = await get(key);
    expect(md5(first.bytes)).toBe(md5(body));
    expect(first.out).toMatchObject({ ContentType: "text/x-test", Metadata: { colour: "blue" }, CacheControl: "max-age=60", ETag: put.ETag, ContentLength: body.byteLength });
    expect(upstream.requestsFor(SOURCE, key)).toHaveLength(1);

    const second = await get(key);
    expect(md5(second.bytes)).toBe(md5(body));
    expect(second.out).toMatchObject({ ContentType: "text/x-test", Metadata: { colour: "blue" }, ETag: put.ETag });
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(head).toMatchObject({ ContentLength: body.byteLength, ETag: put.ETag, ContentType: "text/x-test" });
    expect(upstream.requestsFor(SOURCE, key)).toHaveLength(1);
  });

  it("signs every upstream request with the configured key pair (SigV4, checked by the proxy)", async () => {
    expect(upstream.requests.length).toBeGreaterThan(0);
    expect(upstream.requests.every((r) => r.signedCorrectly && r.method === "GET")).toBe(true);
  });

  it("keeps a gzip-encoded object's bytes as stored (Content-Encoding is the object's, not the transfer's)", async () => {
    const gzipped = gzipSync(Buffer.from("hello ".repeat(1000)));
    await putUpstream("page.html.gz", gzipped, { ContentEncoding: "gzip", ContentType: "text/html" });
    const { out, bytes } = await get("page.html.gz");
    expect(out.ContentEncoding).toBe("gzip");
    expect(md5(bytes)).toBe(md5(gzipped));
  });

  it("a client that goes away after the first bytes of a miss does not stop the store", async () => {
    const body = pattern(4 * 1024 * 1024, 45);
    await putUpstream("abandoned.bin", body);
    const abort = new AbortController();
    const response = await signer().fetch(objectPathUrl(bucket, "abandoned.bin"), { signal: abort.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    abort.abort();
    await reader.cancel().catch(() => undefined);
    // listings never read through: the key shows once the copy is stored
    await expect.poll(async () => (await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "abandoned.bin" }))).KeyCount, { timeout: 10_000 }).toBe(1);
    expect(md5((await get("abandoned.bin")).bytes)).toBe(md5(body));
    expect(upstream.requestsFor(SOURCE, "abandoned.bin")).toHaveLength(1);
  });

  it("HeadObject of an object only upstream answers its headers and stores it", async () => {
    const body = pattern(200_000, 43);
    await putUpstream("head-first.bin", body, { Metadata: { origin: "upstream" } });
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: "head-first.bin" }));
    expect(head).toMatchObject({ ContentLength: body.byteLength, Metadata: { origin: "upstream" } });
    expect(md5((await get("head-first.bin")).bytes)).toBe(md5(body));
    expect(upstream.requestsFor(SOURCE, "head-first.bin")).toHaveLength(1);
  });

  it("a Range GET on a miss answers 206 with the range, and the whole object is stored", async () => {
    const body = pattern(300_000, 44);
    await putUpstream("ranged.bin", body);
    const { out, bytes } = await get("ranged.bin", { Range: "bytes=1000-1999" });
    expect(out.ContentRange).toBe(`bytes 1000-1999/${body.byteLength}`);
    expect(md5(bytes)).toBe(md5(body.subarray(1000, 2000)));
    expect(md5((await get("ranged.bin")).bytes)).toBe(md5(body));
    expect(upstream.requestsFor(SOURCE, "ranged.bin")).toHaveLength(1);
  });

  it("a key the upstream lacks is NoSuchKey, asked again on the next read (misses are not stored)", async () => {
    expect(await s3Error(get("nowhere.txt"))).toEqual({ code: "NoSuchKey", status: 404 });
    expect(await s3Error(get("nowhere.txt"))).toEqual({ code: "NoSuchKey", status: 404 });
    expect(upstream.requestsFor(SOURCE, "nowhere.txt")).toHaveLength(2);
  });

  it("a local object wins over the upstream's: the upstream is not asked", async () => {
    await putUpstream("both.txt", "upstream copy");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "both.txt", Body: "local copy" }));
    expect(Buffer.from((await get("both.txt")).bytes).toString()).toBe("local copy");
    expect(upstream.requestsFor(SOURCE, "both.txt")).toHaveLength(0);
  });

  it("a bucket without an upstream answers NoSuchKey and asks no upstream", async () => {
    const plain = await newBucket("read-through-none");
    const before = upstream.requests.length;
    expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: plain, Key: "docs/small.txt" })))).toEqual({ code: "NoSuchKey", status: 404 });
    expect(upstream.requests.length).toBe(before);
  });
});

describe("GetObject › read-through failures", () => {
  it("an upstream answering 503 is ServiceUnavailable, and nothing is stored", async () => {
    await putUpstream("outage.txt", "later");
    upstream.intercept = (request) => (request.url?.includes("outage.txt") ? 503 : undefined);
    try {
      expect(await s3Error(get("outage.txt"))).toEqual({ code: "ServiceUnavailable", status: 503 });
    } finally {
      upstream.intercept = undefined;
    }
    expect(Buffer.from((await get("outage.txt")).bytes).toString()).toBe("later");
    expect(upstream.requestsFor(SOURCE, "outage.txt")).toHaveLength(2);
  });

  it("an upstream refusing the credentials (403) is BadGateway (502), not the client's AccessDenied", async () => {
    upstream.intercept = (request) => (request.url?.includes("refused.txt") ? 403 : undefined);
    try {
      expect(await s3Error(get("refused.txt"))).toEqual({ code: "BadGateway", status: 502 });
    } finally {
      upstream.intercept = undefined;
    }
  });

  it("an upstream that cannot be reached is ServiceUnavailable", async () => {
    const lost = await newBucket("read-through-lost");
    // a free port: nothing listens there
    await upstreamsApi("PUT", `/${lost}`, { endpoint: `http://127.0.0.1:${await freePortRange(1)}`, bucket: SOURCE, access_key_id: "x", secret_access_key: "y" });
    expect(await s3Error(s3Client().send(new GetObjectCommand({ Bucket: lost, Key: "a.txt" })))).toEqual({ code: "ServiceUnavailable", status: 503 });
  });

  it("a third-party-service http_error rule is the client's answer to a read-through miss; the upstream is not read", async () => {
    await putUpstream("faulted.txt", "fault me");
    const rule = scoped(bucket, { service: "third-party-service", action: { type: "http_error", http_code: 503, error_code: "ServiceUnavailable", message: "upstream hop down" } });
    await withRule(rule, async ({ id }) => {
      const answer = await s3Client()
        .send(new GetObjectCommand({ Bucket: bucket, Key: "faulted.txt" }))
        .catch((error: unknown) => error);
      expect(answer).toMatchObject({ name: "ServiceUnavailable", message: "upstream hop down", $metadata: { httpStatusCode: 503 } });
      expect(upstream.requestsFor(SOURCE, "faulted.txt")).toHaveLength(0);
      // a hit never reaches third-party-service
      expect((await get("docs/small.txt")).bytes.byteLength).toBe(1000);
      expect(await ruleStats(id)).toMatchObject({ service: "third-party-service", matched: 1, injected: 1 });
    });
    expect(Buffer.from((await get("faulted.txt")).bytes).toString()).toBe("fault me");
  });

  it("a third-party-service delay rule slows the read-through miss by that much", async () => {
    await putUpstream("slow.txt", "slow");
    const rule = scoped(bucket, { service: "third-party-service", action: { type: "delay", delay: "500ms" } });
    await withRule(rule, async ({ id }) => {
      const start = performance.now();
      expect(Buffer.from((await get("slow.txt")).bytes).toString()).toBe("slow");
      expect(performance.now() - start).toBeGreaterThanOrEqual(400);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
  });
});
