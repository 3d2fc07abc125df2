/**
 * restic (Go, Debian's package) against the stack: a repository in a bucket, a backup of a
 * folder with a 40 MiB file (packed into several pack files), `check --read-data` reading every
 * pack back and verifying its hashes, and a restore that must give the same bytes. restic is
 * configured only through its environment, with its cache in the throw-away folder.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runClient } from "../helpers/client-command";
import { DEFAULT_KEY } from "../helpers/credentials";
import { MIB } from "../helpers/multipart";
import { endpoint, newBucket } from "../helpers/s3";
import { scratchDir } from "../helpers/scratch-dir";

let work: string;
let env: NodeJS.ProcessEnv;
/** Aborts any restic still running when the file ends (say, after the test timed out). */
const abort = new AbortController();

beforeAll(async () => {
  work = await scratchDir("mocks3-restic");
  env = {
    ...process.env,
    HOME: work,
    RESTIC_PASSWORD: "mocks3-restic-test-password",
    RESTIC_CACHE_DIR: path.join(work, "cache"),
    AWS_ACCESS_KEY_ID: DEFAULT_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_KEY.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
  };
  for (const name of Object.keys(env)) {
    if (
      (name.startsWith("RESTIC_") && !["RESTIC_PASSWORD", "RESTIC_CACHE_DIR"].includes(name)) ||
      ["AWS_CA_BUNDLE", "AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_SHARED_CREDENTIALS_FILE"].includes(name)
    ) {
      delete env[name];
    }
  }
});

afterAll(async () => {
  abort.abort();
  if (work) await rm(work, { recursive: true, force: true });
});

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("restic", () => {
  it("restic › init, backup of a folder with a 40 MiB file, check --read-data and restore give the same bytes", { timeout: 180_000 }, async () => {
    const bucket = await newBucket("restic");
    const repoEnv = { ...env, RESTIC_REPOSITORY: `s3:${endpoint()}/${bucket}/repo` };
    /** Runs restic on the repository. */
    const restic = (...args: string[]) => runClient("restic", args, { env: repoEnv, cwd: work, signal: abort.signal });

    const folder = path.join(work, "folder");
    const files: Record<string, Buffer> = {
      "big.bin": randomBytes(40 * MIB),
      "small.txt": Buffer.from("a small file beside the big one\n"),
      "sub/other.bin": randomBytes(4096),
    };
    for (const [name, bytes] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(folder, name)), { recursive: true });
      await writeFile(path.join(folder, name), bytes);
    }

    expect(await restic("init")).toMatch(/created restic repository/);
    expect(await restic("backup", folder)).toMatch(/snapshot [0-9a-f]+ saved/);
    // exits non-zero (and the promise rejects) on any damaged pack or index
    expect(await restic("check", "--read-data")).toMatch(/no errors were found/);

    const target = path.join(work, "restored");
    await restic("restore", "latest", "--target", target);
    // restic restores under the target the folder's absolute path
    for (const [name, bytes] of Object.entries(files)) {
      const back = await readFile(path.join(target, folder, name));
      expect(back.length, name).toBe(bytes.length);
      expect(sha256(back), name).toBe(sha256(bytes));
    }
  });
});
