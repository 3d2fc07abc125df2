/**
 * The consistency faults through the JS SDK: `stale_read` serves a key's previous version (or
 * 404 after a create) for its window after each change, `list_lag` leaves new keys out of
 * listings and keeps deleted ones; both end with their window, and changes made before the
 * rule existed read current. Windows are long enough (6 s) for a busy machine to read within
 * them; the ends are awaited by polling.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, it } from "vitest";
import { faultApi, faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const WINDOW_S = 6;
const s3 = s3Client();

async function read(bucket: string, key: string): Promise<string> {
  try {
    return await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  } catch (error) {
    return `${(await s3Error(Promise.reject(error))).status}`;
  }
}

async function listed(bucket: string): Promise<string[]> {
  return ((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []).map((o) => `${o.Key}=${o.Size}`);
}

/** Polls until `check` holds, for at most 20 s. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (const until = Date.now() + 20_000; Date.now() < until; await new Promise((r) => setTimeout(r, 250))) if (await check()) return true;
  return false;
}

describe("consistency faults", () => {
  it("stale_read › after a create 404, after an overwrite the previous bytes and ETag, after a delete the last version; current once the window ends", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("stale-read");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "before-rule", Body: "old" }));
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: ["GetObject", "HeadObject"] }], action: { type: "stale_read", seconds: WINDOW_S } });
    await withRule(rule, async ({ id }) => {
      // a change made before the rule existed is not remembered
      expect(await read(bucket, "before-rule")).toBe("old");

      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "version one" }));
      expect(await read(bucket, "k")).toBe("404");
      expect(await eventually(async () => (await read(bucket, "k")) === "version one")).toBe(true);

      const first = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "version two, longer" }));
      const stale = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "k" }));
      expect([await stale.Body!.transformToString(), stale.ETag, stale.ContentLength]).toEqual(["version one", first.ETag, 11]);
      const marked = await signer().fetch(objectPathUrl(bucket, "k"));
      expect([await marked.text(), faultOf(marked.headers).action]).toEqual(["version one", "stale_read"]);
      expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "k" }))).ETag).toBe(first.ETag);
      expect(await eventually(async () => (await read(bucket, "k")) === "version two, longer")).toBe(true);

      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
      expect(await read(bucket, "k")).toBe("version two, longer");
      expect(await eventually(async () => (await read(bucket, "k")) === "404")).toBe(true);
      expect((await ruleStats(id)).injected).toBeGreaterThan(5);
    });
    // the rule gone, reads are current at once
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "after", Body: "now" }));
    expect(await read(bucket, "after")).toBe("now");
  });

  it("list_lag › new keys are missing and deleted keys still listed until the window ends, in V1 and V2", { timeout: 60_000 }, async () => {
    const bucket = await newBucket("list-lag");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a", Body: "1" }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "c", Body: "333" }));
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: ["ListObjects", "ListObjectsV2"] }], action: { type: "list_lag", seconds: WINDOW_S } });
    await withRule(rule, async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "b", Body: "22" }));
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "c" }));
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "a", Body: "1111" }));
      expect(await listed(bucket)).toEqual(["a=1", "c=3"]);
      const v1 = await s3.send(new ListObjectsCommand({ Bucket: bucket }));
      expect((v1.Contents ?? []).map((o) => o.Key)).toEqual(["a", "c"]);
      // reads are not affected: only listings lag
      expect(await read(bucket, "b")).toBe("22");
      expect(await eventually(async () => (await listed(bucket)).join() === "a=4,b=2")).toBe(true);
    });
  });

  it("rules › a window above 30 s, or a stale_read without a GET or HEAD operation condition, is refused with the reason", async () => {
    const bucket = await newBucket("consistency-refused");
    const long = await faultApi("POST", "/rules", scoped(bucket, { conditions: [{ type: "operation", value: ["GetObject"] }], action: { type: "stale_read", seconds: 31 } }));
    expect([long.status, JSON.stringify(long.json)]).toEqual([400, expect.stringContaining("30")]);
    const unscoped = await faultApi("POST", "/rules", scoped(bucket, { action: { type: "list_lag", seconds: 2 } }));
    expect([unscoped.status, JSON.stringify(unscoped.json)]).toEqual([400, expect.stringContaining("ListObjects")]);
  });
});
