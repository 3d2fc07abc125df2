/**
 * The AWS CLI's high-level `aws s3 cp` of a file over its multipart threshold (8 MiB):
 * uploaded in parts, several at once, and downloaded in ranges — the bytes must survive the
 * round trip. Run with a throw-away configuration, as the seed examples are.
 */
import { createHash, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY } from "../helpers/credentials";
import { MIB } from "../helpers/multipart";
import { endpoint, newBucket, s3Client } from "../helpers/s3";
import { scratchDir } from "../helpers/scratch-dir";

const run = promisify(execFile);
const SIZE = 64 * MIB + 12_345;

let work: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  work = await scratchDir("mocks3-cli-mp");
  env = {
    ...process.env,
    AWS_CONFIG_FILE: path.join(work, "config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, "credentials"),
    AWS_ACCESS_KEY_ID: DEFAULT_KEY.accessKeyId,
    AWS_SECRET_ACCESS_KEY: DEFAULT_KEY.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
  };
  delete env.AWS_PROFILE;
  delete env.AWS_ENDPOINT_URL;
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("AWS CLI multipart", () => {
  it("aws s3 cp › a 64 MiB file goes up in parts and comes back byte for byte", { timeout: 180_000 }, async () => {
    const bucket = await newBucket("cli-multipart");
    const data = randomBytes(SIZE);
    await writeFile(path.join(work, "big.bin"), data);
    const cp = (from: string, to: string) => run("aws", ["s3", "cp", "--only-show-errors", "--endpoint-url", endpoint(), from, to], { env, cwd: work });

    await cp("big.bin", `s3://${bucket}/cli/big.bin`);
    const head = await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: "cli/big.bin", PartNumber: 1 }));
    expect(head.ContentRange).toBe(`bytes 0-${8 * 1024 * 1024 - 1}/${SIZE}`);
    expect(head.PartsCount).toBe(9); // the CLI's 8 MiB parts
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}-9"$/);

    await cp(`s3://${bucket}/cli/big.bin`, "back.bin");
    expect(sha256(await readFile(path.join(work, "back.bin")))).toBe(sha256(data));
  });
});
