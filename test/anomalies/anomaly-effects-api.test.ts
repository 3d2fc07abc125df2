/**
 * service_down and disk_full the way a user starts them: the seed's API on 8085, carried out
 * by the sidecar `npm start` runs, felt by an S3 client, and over by themselves at their
 * duration. On a stack of its own: both change how every client of the stack is answered.
 *
 * A duration counts from the start, so each anomaly lasts long enough (10 s, 20 s) for a busy
 * machine to set it up and for the checks made while it holds; probes retry until a bound.
 */
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/anomaly-sidecar";
import { TEST_CREDENTIALS } from "../helpers/credentials";
import { faultApi } from "../helpers/faults";
import { newBucket, s3Client, s3Error } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

let stack: StackProcess;
let s3: S3Client;
let bucket: string;
let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  s3 = s3Client(undefined, stack.endpoint);
  bucket = await newBucket("anomaly-effects", s3);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "kept.txt", Body: "kept" }));
  api = (method, p, body) => faultApi(method, p, body, stack.services["mock-error-service"]);
}, 90_000);

afterAll(async () => {
  await stack?.stop();
});

/** Waits for the anomaly to leave `running`, and answers how it ended. */
function ended(id: string, ms = 60_000) {
  return until(
    `anomaly ${id} to end`,
    async () => {
      const { json } = await api("GET", `/metric-anomaly/${id}`);
      return json.state === "running" || json.state === "pending" ? undefined : json;
    },
    ms,
  );
}

/** How a PUT was refused, or undefined when it was stored. */
async function putRefusal(key: string): Promise<{ code: string; status: number | undefined } | undefined> {
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }));
    return undefined;
  } catch (error) {
    return s3Error(Promise.reject(error));
  }
}

describe("anomalies through the API", () => {
  it("service_down on the gateway › S3 requests and /health answer 503 while it lasts; it comes back by itself", { timeout: 90_000 }, async () => {
    const created = await api("POST", "/metric-anomaly", {
      name: "gateway down",
      service: "gateway",
      metric_name: "service_up",
      anomaly_type: "service_down",
      target_value: 0,
      duration: "10s",
      enabled: true,
    });
    expect(created).toMatchObject({ status: 201, json: { state: "running" } });
    await until("the gateway to be down", async () => ((await fetch(`${stack.endpoint}/health`)).status === 503 ? true : undefined), 8_000);
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept.txt" })))).toEqual({ code: "ServiceUnavailable", status: 503 });

    expect((await ended(created.json.id)).state).toBe("completed");
    expect((await fetch(`${stack.endpoint}/health`)).status).toBe(200);
    const back = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept.txt" }));
    expect(await back.Body!.transformToString()).toBe("kept");
  });

  it("disk_full › real ballast on the data directory's disk, writes refused with 503 while it holds, all gone after", { timeout: 120_000 }, async () => {
    const ballast = path.join(stack.dataDir, "anomaly-ballast");
    const created = await api("POST", "/metric-anomaly", {
      name: "disk",
      service: "storage-service",
      metric_name: "disk_usage_bytes",
      anomaly_type: "disk_full",
      target_value: 32 * 1024 * 1024,
      duration: "20s",
      enabled: true,
    });
    expect(created.status).toBe(201);
    const full = await until(
      "the ballast to reach its target",
      async () => {
        const { json } = await api("GET", `/metric-anomaly/${created.json.id}`);
        return json.actual_value >= 30 * 1024 * 1024 ? json : undefined;
      },
      18_000,
    );
    expect(full.state).toBe("running");
    expect((await readdir(ballast, { recursive: true })).length).toBeGreaterThan(0);
    await until("writes to be refused", async () => ((await putRefusal("probe.txt"))?.status === 503 ? true : undefined), 10_000);
    expect(await s3Error(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "refused.txt", Body: "refused" })))).toEqual({ code: "ServiceUnavailable", status: 503 });
    // reads still work while the disk is full
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept.txt" }))).Body!.transformToString()).toBe("kept");

    expect((await ended(created.json.id)).state).toBe("completed");
    expect(existsSync(ballast) ? await readdir(ballast, { recursive: true }) : []).toEqual([]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "after.txt", Body: "after" }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "after.txt" }))).Body!.transformToString()).toBe("after");
  });
});
