/**
 * `truncate` against real clients: the answer declares the object's full Content-Length, the
 * body stops after `after_bytes` (or `fraction` of it) and the connection is cut. node:http
 * and fetch see a short body and a premature close; the SDK's body read fails.
 */
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl, pattern } from "../helpers/object-bodies";
import { rawSigned } from "../helpers/raw-download";
import { newBucket, s3Client, signer } from "../helpers/s3";

const SMALL = 10_000; // kept inline with its metadata
const LARGE = 400_000; // in storage-service, streamed

describe("truncate", () => {
  let bucket: string;
  const small = pattern(SMALL, 3);
  const large = pattern(LARGE, 4);

  beforeAll(async () => {
    bucket = await newBucket("fault-truncate");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "small.bin", Body: small }));
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "large.bin", Body: large }));
  });

  it("after_bytes › node:http gets the full Content-Length, the first bytes, then a premature close", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", after_bytes: 1000 } });
    await withRule(rule, async ({ id }) => {
      const outcome = await rawSigned(objectPathUrl(bucket, "small.bin"));
      expect(outcome.status).toBe(200);
      expect(outcome.headers!["content-length"]).toBe(String(SMALL));
      expect(outcome.headers!["x-mocks3-fault-rule"]).toBe(id);
      expect(outcome.headers!["x-mocks3-fault-action"]).toBe("truncate");
      expect(outcome.ended).not.toBe("end");
      expect(outcome.body.byteLength).toBe(1000);
      expect(Buffer.compare(outcome.body, Buffer.from(small.subarray(0, 1000)))).toBe(0);
      expect((await ruleStats(id)).injected).toBe(1);
    });
  });

  it("fraction › a streamed object is cut at that fraction of its length", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", fraction: 0.25 } });
    await withRule(rule, async () => {
      const outcome = await rawSigned(objectPathUrl(bucket, "large.bin"));
      expect(outcome.status).toBe(200);
      expect(outcome.headers!["content-length"]).toBe(String(LARGE));
      expect(outcome.ended).not.toBe("end");
      expect(outcome.body.byteLength).toBe(LARGE / 4);
      expect(Buffer.compare(outcome.body, Buffer.from(large.subarray(0, LARGE / 4)))).toBe(0);
    });
  });

  it("after_bytes 0 › the head arrives, no body byte does", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", after_bytes: 0 } });
    await withRule(rule, async () => {
      const outcome = await rawSigned(objectPathUrl(bucket, "large.bin"));
      expect(outcome.status).toBe(200);
      expect(outcome.headers!["content-length"]).toBe(String(LARGE));
      expect(outcome.ended).not.toBe("end");
      expect(outcome.body.byteLength).toBe(0);
    });
  });

  it("fetch › reading the body fails", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", fraction: 0.5 } });
    await withRule(rule, async () => {
      const response = await signer().fetch(objectPathUrl(bucket, "large.bin"));
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBe(String(LARGE));
      await expect(response.arrayBuffer()).rejects.toThrow();
    });
  });

  it("GetObject › the SDK's body read fails, for an inline and a streamed object", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", fraction: 0.5 } });
    await withRule(rule, async ({ id }) => {
      for (const key of ["small.bin", "large.bin"]) {
        const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        expect(out.ContentLength).toBe(key === "small.bin" ? SMALL : LARGE);
        await expect(out.Body!.transformToByteArray()).rejects.toThrow();
      }
      expect((await ruleStats(id)).injected).toBe(2);
    });
  });

  it("a HEAD, with no body to cut, is answered as usual", async () => {
    const rule = scoped(bucket, { action: { type: "truncate", after_bytes: 10 } });
    await withRule(rule, async () => {
      const outcome = await rawSigned(objectPathUrl(bucket, "small.bin"), { method: "HEAD" });
      expect(outcome.status).toBe(200);
      expect(outcome.headers!["content-length"]).toBe(String(SMALL));
      expect(outcome.ended).toBe("end");
    });
  });
});
