/**
 * `delay` and `timeout` against real clients. Times are checked with generous lower bounds
 * only (the machine is shared): a 400 ms delay must cost at least 300 ms, and so on; upper
 * bounds, where there are any, are several times the expected figure.
 */
import { createHash } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3ServiceException } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { faultApi, faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, s3Client, signer } from "../helpers/s3";

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function getText(bucket: string, key: string): Promise<string> {
  const out = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

describe("delay", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-delay");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "slow.txt", Body: "slow but sure" }));
  });

  it("at request › a GetObject waits the delay, then answers as usual with the fault headers", async () => {
    const rule = scoped(bucket, { action: { type: "delay", delay: "400ms" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value: response } = await timed(() => signer().fetch(objectPathUrl(bucket, "slow.txt")));
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("slow but sure");
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "delay" });
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
  });

  it("at request › durations in integer nanoseconds (the seeds' encoding) work too", async () => {
    const rule = scoped(bucket, { action: { type: "delay", delay: 400_000_000 } });
    await withRule(rule, async () => {
      const { ms, value } = await timed(() => getText(bucket, "slow.txt"));
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(value).toBe("slow but sure");
    });
  });

  it("at request › a min–max range: every delay lies within the range (lower bound strict, upper generous)", async () => {
    const rule = scoped(bucket, { action: { type: "delay", min: "300ms", max: "600ms" } });
    await withRule(rule, async () => {
      for (let i = 0; i < 3; i++) {
        const { ms, value } = await timed(() => getText(bucket, "slow.txt"));
        expect(ms).toBeGreaterThanOrEqual(250);
        expect(ms).toBeLessThan(3000);
        expect(value).toBe("slow but sure");
      }
    });
  });

  it("at first_byte › the write is done before the client hears of it", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "delay", delay: "1500ms", at: "first_byte" } });
    await withRule(rule, async ({ id }) => {
      const start = performance.now();
      let answered = false;
      const put = s3Client()
        .send(new PutObjectCommand({ Bucket: bucket, Key: "early.txt", Body: "already stored" }))
        .finally(() => (answered = true));
      // HEAD is not delayed (the rule names PutObject): the object shows up while the PUT still waits
      let seen = false;
      while (!seen && !answered) {
        seen = await s3Client()
          .send(new HeadObjectCommand({ Bucket: bucket, Key: "early.txt" }))
          .then(
            () => true,
            () => false,
          );
        if (!seen) await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toBe(true);
      const out = await put;
      expect(performance.now() - start).toBeGreaterThanOrEqual(1100);
      expect(out.ETag).toBe(`"${createHash("md5").update("already stored").digest("hex")}"`);
      expect((await ruleStats(id)).injected).toBe(1);
    });
  });

  it("at first_byte › a GetObject's answer waits the delay", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "GetObject" }], action: { type: "delay", delay: "400ms", at: "first_byte" } });
    await withRule(rule, async () => {
      const { ms, value } = await timed(() => getText(bucket, "slow.txt"));
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(value).toBe("slow but sure");
    });
  });

  it("disabling the rule ends a delay in progress", async () => {
    const rule = scoped(bucket, { action: { type: "delay", delay: "20s" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value } = await timed(async () => {
        const reading = getText(bucket, "slow.txt");
        await new Promise((r) => setTimeout(r, 300));
        expect((await faultApi("PATCH", `/rules/${id}`, { enabled: false })).status).toBe(200);
        return reading;
      });
      expect(value).toBe("slow but sure");
      expect(ms).toBeLessThan(10_000);
    });
  });
});

describe("timeout", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-timeout");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "held.txt", Body: "held" }));
  });

  it("with max 1s › the SDK gets 504 GatewayTimeout after at least a second", async () => {
    const rule = scoped(bucket, { action: { type: "timeout", max: "1s" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value: error } = await timed(() =>
        s3Client()
          .send(new GetObjectCommand({ Bucket: bucket, Key: "held.txt" }))
          .then(
            () => undefined,
            (e: unknown) => e,
          ),
      );
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(error).toBeInstanceOf(S3ServiceException);
      expect((error as S3ServiceException).name).toBe("GatewayTimeout");
      expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(504);
      expect((await ruleStats(id)).injected).toBe(1);
    });
  });

  it("with max 1s › the raw answer is an S3 error document with the fault headers", async () => {
    const rule = scoped(bucket, { action: { type: "timeout", max: "1s" } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "held.txt"));
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "timeout" });
      await expectErrorDocument(response, 504, "GatewayTimeout");
    });
  });

  it("a client that gives up first (aborts at 300 ms) gets no answer; the server is fine afterwards", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "key", prefix: "held" }], action: { type: "timeout", max: "20s" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value: error } = await timed(() =>
        signer()
          .fetch(objectPathUrl(bucket, "held.txt"), { signal: abortAfter(300) })
          .then(
            () => undefined,
            (e: unknown) => e,
          ),
      );
      expect((error as Error).name).toBe("TimeoutError");
      expect(ms).toBeLessThan(5000);

      const sdkAbort = await s3Client()
        .send(new GetObjectCommand({ Bucket: bucket, Key: "held.txt" }), { abortSignal: abortAfter(300) })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect((sdkAbort as Error).name).toMatch(/Abort/);
      expect((await ruleStats(id)).injected).toBe(2);

      // the same bucket, a key the rule does not hold, and other requests: answered at once
      await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "other.txt", Body: "fine" }));
      expect(await getText(bucket, "other.txt")).toBe("fine");
    });
    const after = await timed(() => getText(bucket, "held.txt"));
    expect(after.value).toBe("held");
    expect(after.ms).toBeLessThan(5000);
  });

  it("disabling the rule lets a held request through to its normal answer", async () => {
    const rule = scoped(bucket, { action: { type: "timeout", max: "20s" } });
    await withRule(rule, async ({ id }) => {
      const { ms, value } = await timed(async () => {
        const reading = getText(bucket, "held.txt");
        await new Promise((r) => setTimeout(r, 300));
        expect((await faultApi("POST", `/rules/${id}/disable`)).status).toBe(200);
        return reading;
      });
      expect(value).toBe("held");
      expect(ms).toBeLessThan(10_000);
    });
  });
});

/**
 * A signal aborted after `ms` with a TimeoutError, like AbortSignal.timeout — whose timer Node
 * may garbage-collect along with the signal, so that it never fires (seen under load).
 */
function abortAfter(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
  return controller.signal;
}
