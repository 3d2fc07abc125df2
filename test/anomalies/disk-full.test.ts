/**
 * disk_full, run directly (sidecars/anomalies/types/disk-full.ts) against a stack of its own (the
 * state is global to the stack): real ballast in the stack's data directory, measured on the
 * disk (allocated blocks, as `du` counts), and writes refused while it holds. Targets are
 * small (tens of MiB) so the test never stresses the machine's disk.
 */
import { mkdir, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ballastRoot } from "../../sidecars/anomalies/ballast";
import { diskFull } from "../../sidecars/anomalies/types/disk-full";
import { s3WithoutKeepAlive, serviceStates, startAnomaly, statesApi, stopAnomalies, waitFor } from "../helpers/anomalies";
import { TEST_CREDENTIALS } from "../helpers/credentials";
import { pattern } from "../helpers/object-bodies";
import { newBucket, s3Error } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const MIB = 1024 * 1024;
const SMALL = pattern(4 * 1024, 5);
const LARGE = pattern(MIB, 6);

let stack: StackProcess;
let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  s3 = s3WithoutKeepAlive(stack.endpoint);
  bucket = await newBucket("disk-full", s3);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "kept", Body: LARGE }));
}, 90_000);

afterEach(stopAnomalies);

afterAll(async () => {
  await stack?.stop();
});

const put = (key: string, body: Uint8Array) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

/** Bytes on the disk under `dir` (allocated blocks of every file), as `du` counts them. */
async function du(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).blocks * 512;
  }
  return total;
}

const diskFullHolds = async () => (await serviceStates(stack)).disk_full !== null;

describe("disk_full", () => {
  it("writes real ballast up to the target; PUTs of 4 KiB and 1 MiB fail with 503 ServiceUnavailable while it holds and succeed after; the ballast is deleted", async () => {
    const target = 48 * MIB;
    const anomaly = startAnomaly(diskFull, stack, { service: "storage-service", anomaly_type: "disk_full", metric_name: "disk_usage_bytes", target_value: target });
    await waitFor("the disk_full state", diskFullHolds, 30_000);

    const onDisk = await du(ballastRoot(stack.dataDir));
    expect(onDisk).toBeGreaterThanOrEqual(target);
    expect(onDisk).toBeLessThan(target + 8 * MIB);
    expect(Math.max(...anomaly.reports)).toBeGreaterThanOrEqual(target);

    for (const body of [SMALL, LARGE]) {
      expect(await s3Error(put(`refused-${body.length}`, body))).toEqual({ code: "ServiceUnavailable", status: 503 });
    }
    // reads and deletes go on
    const kept = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kept" }))).Body!.transformToByteArray();
    expect(Buffer.compare(kept, LARGE)).toBe(0); // toEqual on a MiB of bytes takes seconds
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "absent" }))).$metadata.httpStatusCode).toBe(204);

    await anomaly.stop();
    expect(await du(ballastRoot(stack.dataDir))).toBe(0);
    expect(await readdir(ballastRoot(stack.dataDir))).toEqual([]);
    expect(await diskFullHolds()).toBe(false);
    expect(anomaly.reports.at(-1)).toBe(0);
    for (const body of [SMALL, LARGE]) {
      expect((await put(`accepted-${body.length}`, body)).$metadata.httpStatusCode).toBe(200);
    }
  });

  it("stops at the caps: a 99 % target writes no more than maxDiskBytes, and holds there", async () => {
    const cap = 16 * MIB;
    const anomaly = startAnomaly(diskFull, stack, { service: "storage-service", anomaly_type: "disk_full", metric_name: "disk_usage_percent", target_value: 99 }, { caps: { maxDiskBytes: cap } });
    await waitFor("the disk_full state", diskFullHolds, 30_000);
    const onDisk = await du(ballastRoot(stack.dataDir));
    expect(onDisk).toBeGreaterThanOrEqual(cap);
    expect(onDisk).toBeLessThan(cap + MIB);
    expect(anomaly.reports.every((percent) => percent > 0 && percent < 100)).toBe(true);
    expect(await s3Error(put("capped", SMALL))).toEqual({ code: "ServiceUnavailable", status: 503 });

    await anomaly.stop();
    expect(await du(ballastRoot(stack.dataDir))).toBe(0);
  });

  it("cleanLeftovers › deletes a killed sidecar's ballast and clears its state", async () => {
    const leftover = path.join(ballastRoot(stack.dataDir), "dead-anomaly");
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, "ballast.bin"), pattern(MIB, 7));
    const until = new Date(Date.now() + 600_000).toISOString();
    expect((await statesApi(stack, "PUT", "/disk-full", { until, anomaly_id: "dead-anomaly" })).status).toBe(200);
    expect(await s3Error(put("before-clean", SMALL))).toEqual({ code: "ServiceUnavailable", status: 503 });

    await diskFull.cleanLeftovers!(stack.dataDir, stack.services["mock-error-service"]!);
    await expect(stat(ballastRoot(stack.dataDir))).rejects.toThrow(/ENOENT/);
    expect(await diskFullHolds()).toBe(false);
    expect((await put("after-clean", SMALL)).$metadata.httpStatusCode).toBe(200);
  });
});
