/**
 * What a crash may not lose: the whole stack is SIGKILLed (its Node process, workerd and the
 * sidecar at once) while eight writers PUT objects of 1 KiB–3 MiB — inline, single-chunk and
 * chunked, through the blob files — then restarted on the same data directory. Every PUT
 * that was answered 200 must read back byte for byte; an object whose PUT was cut off may be
 * there or not, but never partly. A multipart upload cut off mid-part is still listed with
 * the parts it had, and can be completed; another can be aborted.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { createHash } from "node:crypto";
import http from "node:http";
import { describe, expect, it } from "vitest";
import { pattern } from "../helpers/object-bodies";
import { s3Client } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const bucket = "crash";
const WRITERS = 8;
/** answered PUTs before the kill: enough that writes of every kind are in flight */
const ACKED_BEFORE_KILL = 40;
const PART = 5 * 1024 * 1024;

const md5 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("hex");

/** Sizes from 1 KiB to 3 MiB, spread over inline (≤ 128 KiB), one chunk and several. */
function sizeFor(writer: number, i: number): number {
  const kinds = [1024 + ((writer * 7919 + i * 104729) % (127 * 1024)), 300_000 + i * 997, 1024 * 1024 + 17 + i * 4099, 3 * 1024 * 1024 - i * 31];
  return kinds[(writer + i) % kinds.length]!;
}

async function readMd5(s3: S3Client, key: string): Promise<string> {
  const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return md5(await answer.Body!.transformToByteArray());
}

/**
 * The scene of each test: a stack on a fresh data directory, with the bucket; `before` runs
 * on it and calls `crash` (SIGKILL to every process of the stack) when it chooses; then the
 * stack starts again on the same data directory, for `after`, which gets what `before` saw.
 */
async function acrossACrash<T>(before: (s3: S3Client, crash: () => Promise<void>) => Promise<T>, after: (s3: S3Client, seen: T) => Promise<void>): Promise<void> {
  let stack: StackProcess | undefined = await startStackProcess();
  const dataDir = stack.dataDir;
  try {
    const s3 = s3Client(undefined, stack.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    let crashed = false;
    const seen = await before(s3, async () => {
      crashed = true;
      await stack!.kill();
    });
    if (!crashed) throw new Error("the test never crashed the stack");
    stack = await startStackProcess({ dataDir });
    await after(s3Client(undefined, stack.endpoint), seen);
  } finally {
    await stack?.stop();
  }
}

describe("crash durability", () => {
  it("storage › every PUT answered before a SIGKILL of the whole stack reads back byte-exact after a restart, none partly", { timeout: 240_000 }, async () => {
    const before = async (s3: S3Client, crash: () => Promise<void>) => {
      const sent = new Map<string, string>();
      const acked = new Map<string, string>();
      let killed = false;
      const writer = async (w: number) => {
        for (let i = 0; !killed; i++) {
          const key = `w${w}/${i}`;
          const body = pattern(sizeFor(w, i), w * 1000 + i + 1);
          sent.set(key, md5(body));
          try {
            await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
            if (!killed) acked.set(key, sent.get(key)!);
          } catch {
            return; // the stack is gone
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      while (acked.size < ACKED_BEFORE_KILL) await new Promise((r) => setTimeout(r, 20));
      // the answers seen so far are the ones that count: one arriving during the kill may be either
      const counted = new Map(acked);
      killed = true;
      await crash();
      await Promise.allSettled(writers);
      return { sent, counted };
    };
    await acrossACrash(before, async (after, { sent, counted }) => {
      for (const [key, digest] of counted) expect(await readMd5(after, key), key).toBe(digest);
      const listed = await after.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
      const keys = (listed.Contents ?? []).map((o) => o.Key!);
      expect(keys.length).toBeGreaterThanOrEqual(counted.size);
      // a PUT cut off by the kill: absent, or whole
      for (const key of keys) expect(await readMd5(after, key), key).toBe(sent.get(key));
    });
  });

  it("storage › a multipart upload cut off by a SIGKILL mid-part is still listed with its parts, and completes; another aborts", { timeout: 240_000 }, async () => {
    const parts = [pattern(PART, 11), pattern(PART + 3, 12)];
    const before = async (s3: S3Client, crash: () => Promise<void>) => {
      const { UploadId: kept } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "kept" }));
      const { UploadId: dropped } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "dropped" }));
      const first = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "kept", UploadId: kept, PartNumber: 1, Body: parts[0] }));
      await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "dropped", UploadId: dropped, PartNumber: 1, Body: pattern(PART, 13) }));
      // part 2 in flight when the stack dies: sent slowly enough that it cannot finish first
      const url = await getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: "kept", UploadId: kept, PartNumber: 2 }));
      const cut = putSlowly(url, parts[1]!).then(
        (status) => `answered ${status}`,
        () => "cut off",
      );
      await new Promise((r) => setTimeout(r, 300));
      await crash();
      expect(await cut).toBe("cut off");
      return { kept, dropped, first };
    };
    await acrossACrash(before, async (after, { kept, dropped, first }) => {
      const uploads = await after.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect(uploads.Uploads?.map((u) => u.Key).sort()).toEqual(["dropped", "kept"]);
      const listed = await after.send(new ListPartsCommand({ Bucket: bucket, Key: "kept", UploadId: kept }));
      expect(listed.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([[1, first.ETag, PART]]);
      const second = await after.send(new UploadPartCommand({ Bucket: bucket, Key: "kept", UploadId: kept, PartNumber: 2, Body: parts[1] }));
      await after.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: "kept",
          UploadId: kept,
          MultipartUpload: {
            Parts: [
              { PartNumber: 1, ETag: first.ETag },
              { PartNumber: 2, ETag: second.ETag },
            ],
          },
        }),
      );
      expect(await readMd5(after, "kept")).toBe(md5(Buffer.concat(parts)));
      await after.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "dropped", UploadId: dropped }));
      const left = await after.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
      expect(left.Uploads ?? []).toEqual([]);
    });
  });
});

/** A presigned PUT whose body trickles out, 64 KiB every 50 ms; settles with the status, or fails. */
function putSlowly(url: string, bytes: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "PUT", agent: false, headers: { "content-length": bytes.byteLength } }, (answer) => {
      answer.resume();
      answer.on("error", reject);
      answer.on("end", () => resolve(answer.statusCode!));
    });
    request.on("error", reject);
    let offset = 0;
    const next = () => {
      if (request.destroyed) return;
      if (offset >= bytes.byteLength) return void request.end();
      request.write(bytes.subarray(offset, (offset += 64 * 1024)));
      setTimeout(next, 50);
    };
    next();
  });
}
