/**
 * `http_error` and `slow_down` against real clients: the injected answer is an S3 error
 * document the AWS SDK parses (code, message, status), it carries Retry-After and the fault
 * headers, and the SDK's own retry policy treats it as it treats S3's: SlowDown is retried,
 * AccessDenied is not; with a `delay`, the error comes after it. Every rule is scoped to this file's bucket and deleted afterwards.
 */
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { faultOf, ruleStats, scoped, withRule } from "../helpers/faults";
import { objectPathUrl } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";
import { DEFAULT_KEY } from "../helpers/credentials";

/** The SDK with its default (standard) retry policy, three attempts in all. */
function retryingClient(): S3Client {
  return new S3Client({ endpoint: endpoint(), region: "us-east-1", forcePathStyle: true, credentials: DEFAULT_KEY, maxAttempts: 3 });
}

async function sdkError(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof S3ServiceException) return error;
    throw error;
  }
  throw new Error("expected the request to fail");
}

describe("http_error", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-http-error");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "here.txt", Body: "hello" }));
  });

  it("GetObject › the SDK gets the status, S3's code for it and the rule's message", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "key", prefix: "here" }], action: { type: "http_error", http_code: 500, message: "injected for a test" } });
    await withRule(rule, async ({ id }) => {
      const error = await sdkError(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "here.txt" })));
      expect(error.name).toBe("InternalError");
      expect(error.message).toBe("injected for a test");
      expect(error.$metadata.httpStatusCode).toBe(500);
      expect(error.$metadata.requestId).toMatch(/^[0-9A-F]{16}$/);
      expect((await ruleStats(id)).injected).toBe(1);
    });
  });

  it("GetObject › a slow failure: with delay, the error is answered after it, at the gateway and on metadata-service's hop", async () => {
    for (const service of ["gateway", "metadata-service"]) {
      const rule = scoped(bucket, { service, conditions: [{ type: "key", prefix: "here" }], action: { type: "http_error", http_code: 503, delay: "250ms" } });
      await withRule(rule, async () => {
        const started = performance.now();
        const answer = await signer().fetch(objectPathUrl(bucket, "here.txt"));
        await answer.arrayBuffer();
        expect([service, answer.status]).toEqual([service, 503]);
        expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      });
    }
  });

  it("GetObject › a custom error_code is the document's Code; S3's message for a known code", async () => {
    const rule = scoped(bucket, { action: { type: "http_error", http_code: 404, error_code: "NoSuchKey" } });
    await withRule(rule, async () => {
      const error = await sdkError(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "here.txt" })));
      expect(error.name).toBe("NoSuchKey");
      expect(error.$metadata.httpStatusCode).toBe(404);
      expect(error.message).toBe("The specified key does not exist.");
    });
  });

  it("PutObject › a made-up error code reaches the SDK as it was written, and nothing is stored", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "operation", value: "PutObject" }], action: { type: "http_error", http_code: 409, error_code: "ChaosConflict" } });
    await withRule(rule, async () => {
      const error = await sdkError(s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "never.txt", Body: "x" })));
      expect(error.name).toBe("ChaosConflict");
      expect(error.$metadata.httpStatusCode).toBe(409);
    });
    const after = await sdkError(s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: "never.txt" })));
    expect(after.name).toBe("NoSuchKey");
  });

  it("raw answer › a valid S3 error document with Retry-After (whole seconds) and the fault headers", async () => {
    const rule = scoped(bucket, { action: { type: "http_error", http_code: 503, retry_after: "1500ms" } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "here.txt"));
      expect(response.headers.get("retry-after")).toBe("2");
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "http_error" });
      const document = await expectErrorDocument(response, 503, "ServiceUnavailable", `/${bucket}/here.txt`);
      expect(document.Message).not.toBe("");
    });
  });

  it("raw answer › a HEAD gets the status and headers, no body", async () => {
    const rule = scoped(bucket, { action: { type: "http_error", http_code: 403 } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "here.txt"), { method: "HEAD" });
      expect(response.status).toBe(403);
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "http_error" });
      expect(await response.text()).toBe("");
    });
  });

  it("requests the rule does not match are answered as usual, with no fault headers", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "key", prefix: "elsewhere/" }], action: { type: "http_error", http_code: 500 } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "here.txt"));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("hello");
      expect(faultOf(response.headers)).toEqual({ rule: undefined, action: undefined });
      expect((await ruleStats(id)).matched).toBe(0);
    });
  });
});

describe("slow_down and the SDK's retries", () => {
  let bucket: string;

  beforeAll(async () => {
    bucket = await newBucket("fault-slow-down");
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: "retried.txt", Body: "still here" }));
  });

  it("raw answer › 503 SlowDown with the fault headers", async () => {
    const rule = scoped(bucket, { action: { type: "slow_down", retry_after: "1s" } });
    await withRule(rule, async ({ id }) => {
      const response = await signer().fetch(objectPathUrl(bucket, "retried.txt"));
      expect(response.headers.get("retry-after")).toBe("1");
      expect(faultOf(response.headers)).toEqual({ rule: id, action: "slow_down" });
      await expectErrorDocument(response, 503, "SlowDown");
    });
  });

  it("GetObject › fail the first two, then succeed: max_injections 2 and the SDK's three attempts", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "max_injections", value: 2 }], action: { type: "slow_down" } });
    await withRule(rule, async ({ id }) => {
      const out = await retryingClient().send(new GetObjectCommand({ Bucket: bucket, Key: "retried.txt" }));
      expect(await out.Body!.transformToString()).toBe("still here");
      expect(out.$metadata.attempts).toBe(3);
      expect(await ruleStats(id)).toMatchObject({ matched: 3, injected: 2 });
    });
  });

  it("GetObject › skip_first lets the first request through; the next fails twice, then succeeds", async () => {
    const rule = scoped(bucket, {
      conditions: [
        { type: "skip_first", value: 1 },
        { type: "max_injections", value: 2 },
      ],
      action: { type: "slow_down" },
    });
    await withRule(rule, async ({ id }) => {
      const client = retryingClient();
      const first = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "retried.txt" }));
      await first.Body!.transformToString();
      expect(first.$metadata.attempts).toBe(1);
      const second = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "retried.txt" }));
      expect(await second.Body!.transformToString()).toBe("still here");
      expect(second.$metadata.attempts).toBe(3);
      expect(await ruleStats(id)).toMatchObject({ matched: 4, injected: 2 });
    });
  });

  it("GetObject › three injections are more than three attempts: the SDK gives up with SlowDown", async () => {
    const rule = scoped(bucket, { conditions: [{ type: "max_injections", value: 3 }], action: { type: "slow_down" } });
    await withRule(rule, async ({ id }) => {
      const error = await sdkError(retryingClient().send(new GetObjectCommand({ Bucket: bucket, Key: "retried.txt" })));
      expect(error.name).toBe("SlowDown");
      expect(error.$metadata.attempts).toBe(3);
      expect(await ruleStats(id)).toMatchObject({ matched: 3, injected: 3 });
    });
  });

  it("GetObject › an injected AccessDenied is not retried: one request reaches the rule", async () => {
    const rule = scoped(bucket, { action: { type: "http_error", http_code: 403, error_code: "AccessDenied" } });
    await withRule(rule, async ({ id }) => {
      const error = await sdkError(retryingClient().send(new GetObjectCommand({ Bucket: bucket, Key: "retried.txt" })));
      expect(error.name).toBe("AccessDenied");
      expect(error.$metadata.httpStatusCode).toBe(403);
      expect(error.$metadata.attempts).toBe(1);
      expect(await ruleStats(id)).toMatchObject({ matched: 1, injected: 1 });
    });
  });
});
