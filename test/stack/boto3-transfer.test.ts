/**
 * boto3's managed transfer (upload_file, download_file), the way Python services move large
 * objects: parts of 8 MiB, four at once, ranged GETs back. Driven through a real python3 with
 * boto3 (`.ci/run` installs Debian's when the machine has none).
 */
import { createHash, randomBytes } from "node:crypto";
import { execFile } from "node:child_process";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_KEY } from "../helpers/credentials";
import { MIB, multipartEtag } from "../helpers/multipart";
import { endpoint, newBucket } from "../helpers/s3";
import { scratchDir } from "../helpers/scratch-dir";

const run = promisify(execFile);
const PART = 8 * MIB;
const SIZE = 2 * PART + 4 * MIB + 777;
const SCRIPT = path.join(import.meta.dirname, "../clients/boto3_transfer.py");

let work: string;

beforeAll(async () => {
  work = await scratchDir("mocks3-boto3");
});

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe("boto3 managed transfer", () => {
  it("upload_file › goes up in 8 MiB parts with S3's multipart ETag; download_file brings the same bytes back", { timeout: 120_000 }, async () => {
    const bucket = await newBucket("boto3");
    const data = randomBytes(SIZE);
    const source = path.join(work, "object.bin");
    const target = path.join(work, "back.bin");
    await writeFile(source, data);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_CONFIG_FILE: path.join(work, "config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(work, "credentials"),
      AWS_ACCESS_KEY_ID: DEFAULT_KEY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEFAULT_KEY.secretAccessKey,
    };
    delete env.AWS_PROFILE;
    delete env.AWS_ENDPOINT_URL;

    const { stdout } = await run("python3", [SCRIPT, endpoint(), bucket, source, target], { env });
    const parts = [0, 1, 2].map((i) => data.subarray(i * PART, Math.min((i + 1) * PART, SIZE)));
    expect(JSON.parse(stdout)).toEqual({ etag: multipartEtag(parts), length: SIZE, parts: 3 });
    const back = await readFile(target);
    expect(createHash("sha256").update(back).digest("hex")).toBe(createHash("sha256").update(data).digest("hex"));
  });
});
