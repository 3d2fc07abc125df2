/**
 * `throttle` against real clients: downloads and uploads flow at the rule's rate (checked
 * with generous lower bounds: 400 KB at 200 KB/s must take at least 1.5 s) and arrive intact;
 * disabling the rule mid-transfer lets the rest through at full speed.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { faultApi, faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, signer } from "../helpers/s3";

const SIZE = 400_000;
const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function download(bucket: string, key: string): Promise<Uint8Array> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToByteArray();
}

describe("throttle", () => {
  let bucket: string;
  const body = pattern(SIZE, 7);

  beforeAll(async () => {
    bucket = await newBucket("fault-throttle");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: body }));
  });

  it("download › 400 KB at 200 KB/s takes at least 1.5 s and arrives intact, with the fault headers", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "GetObject" }], action: { type: "throttle", bytes_per_second: 200_000, direction: "download" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value: response } = await timed(async () => {
        const response = await signer().fetch(objectPathUrl(bucket, "big.bin"));
        return { headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
      });
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(response.bytes.byteLength).toBe(SIZE);
      expect(md5(response.bytes)).toBe(md5(body));
      expect(response.headers.get("content-length")).toBe(String(SIZE));
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "throttle" });
      expect((await ruleStats(id)).injected).toBe(1);
    });
  });

  it("download › the SDK's GetObject reads the whole body at the rate", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "GetObject" }], action: { type: "throttle", bytes_per_second: 200_000 } });
    await withRule(rule, async () => {
      const { ms, value } = await timed(() => download(bucket, "big.bin"));
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(md5(value)).toBe(md5(body));
    });
  });

  it("upload › a 400 KB PutObject at 200 KB/s takes at least 1.5 s; the object is stored intact", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "throttle", bytes_per_second: 200_000, direction: "upload" } });
    const uploaded = pattern(SIZE, 8);
    await withRule(rule, async ({ id }) => {
      const { ms, value: out } = await timed(() => s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "up.bin", Body: uploaded })));
      expect(ms).toBeGreaterThanOrEqual(1500);
      expect(out.ETag).toBe(`"${md5(uploaded)}"`);
      expect((await ruleStats(id)).injected).toBe(1);
    });
    expect(md5(await download(bucket, "up.bin"))).toBe(md5(uploaded));
  });

  it("upload only › downloads are not slowed", async () => {
    const rule = scoped(bucket, { action: { type: "throttle", bytes_per_second: 50_000, direction: "upload" } });
    await withRule(rule, async () => {
      const { ms, value } = await timed(() => download(bucket, "big.bin"));
      expect(md5(value)).toBe(md5(body));
      expect(ms).toBeLessThan(4000); // 8 s at the rule's rate
    });
  });

  it("download › disabling the rule mid-transfer lets the rest through quickly, intact", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "GetObject" }], action: { type: "throttle", bytes_per_second: 20_000 } });
    await withRule(rule, async ({ id }) => {
      const { ms, value } = await timed(async () => {
        const reading = download(bucket, "big.bin");
        await new Promise((r) => setTimeout(r, 700));
        expect((await faultApi("PATCH", `/rules/${id}`, { enabled: false })).status).toBe(200);
        return reading;
      });
      expect(md5(value)).toBe(md5(body));
      expect(ms).toBeLessThan(8000); // 20 s at the rule's rate
    });
  });

  it("upload › disabling the rule mid-transfer lets the rest through quickly; the object is stored intact", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "throttle", bytes_per_second: 20_000 } });
    const uploaded = pattern(SIZE, 9);
    await withRule(rule, async ({ id }) => {
      const { ms, value: out } = await timed(async () => {
        const putting = s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "up-released.bin", Body: uploaded }));
        await new Promise((r) => setTimeout(r, 700));
        expect((await faultApi("POST", `/rules/${id}/disable`)).status).toBe(200);
        return putting;
      });
      expect(out.ETag).toBe(`"${md5(uploaded)}"`);
      expect(ms).toBeLessThan(8000);
    });
    expect(md5(await download(bucket, "up-released.bin"))).toBe(md5(uploaded));
  });
});
