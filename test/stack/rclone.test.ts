/**
 * rclone (Go, Debian's package) against the stack: `rclone copy` of a folder whose big file is
 * over a 5 MiB upload cutoff goes up as a multipart upload of 5 MiB parts, `rclone check
 * --download` reads every object back and compares the bytes, `rclone delete` empties the
 * folder. rclone is configured only through a throw-away config file (`--config`).
 */
import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClient } from "../helpers/client-command";
import { DEFAULT_KEY } from "../helpers/credentials";
import { MIB } from "../helpers/multipart";
import { endpoint, newBucket, s3Client } from "../helpers/s3";
import { scratchDir } from "../helpers/scratch-dir";

let work: string;
let config: string;
let env: NodeJS.ProcessEnv;
/** Aborts any rclone still running when the file ends (say, after the test timed out). */
const abort = new AbortController();

beforeAll(async () => {
  work = await scratchDir("mocks3-rclone");
  config = path.join(work, "rclone.conf");
  await writeFile(
    config,
    [
      "[remote]",
      "type = s3",
      "provider = Other",
      `access_key_id = ${DEFAULT_KEY.accessKeyId}`,
      `secret_access_key = ${DEFAULT_KEY.secretAccessKey}`,
      `endpoint = ${endpoint()}`,
      "region = us-east-1",
      "upload_cutoff = 5M",
      "chunk_size = 5M",
      "",
    ].join("\n"),
  );
  env = { ...process.env, HOME: work };
  // rclone will not start with AWS_CA_BUNDLE set; nothing else from the environment should
  // reach the remote either: it is configured by the file alone
  for (const name of Object.keys(env)) {
    if (name.startsWith("RCLONE_") || ["AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_ENDPOINT_URL"].includes(name)) delete env[name];
  }
});

afterAll(async () => {
  abort.abort();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Runs rclone with the throw-away config. */
function rclone(...args: string[]): Promise<string> {
  return runClient("rclone", ["--config", config, ...args], { env, cwd: work, signal: abort.signal });
}

describe("rclone", () => {
  it("rclone › copy of a folder with a 12 MiB file goes up in 5 MiB parts, checks with --download, and deletes", { timeout: 180_000 }, async () => {
    const bucket = await newBucket("rclone");
    const folder = path.join(work, "folder");
    await mkdir(path.join(folder, "sub"), { recursive: true });
    await writeFile(path.join(folder, "big.bin"), randomBytes(12 * MIB));
    await writeFile(path.join(folder, "sub", "note.txt"), "a small file beside the big one\n");

    await rclone("copy", folder, `remote:${bucket}/dir`);

    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: "dir/big.bin", PartNumber: 1 }));
    expect(head.PartsCount).toBe(3); // 5 + 5 + 2 MiB
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect(head.ContentRange).toBe(`bytes 0-${5 * MIB - 1}/${12 * MIB}`);

    // exits non-zero (and the promise rejects) on any difference or missing file
    const check = await rclone("check", "--download", folder, `remote:${bucket}/dir`);
    expect(check).toMatch(/\b0 differences found/);
    expect(check).toMatch(/\b2 matching files/);

    await rclone("delete", `remote:${bucket}/dir`);
    const left = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(left.KeyCount).toBe(0);
    expect(left.Contents ?? []).toEqual([]);
  });
});
