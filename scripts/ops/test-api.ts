/**
 * `npm run test-api`: a scripted S3 round trip against the running MockS3, signed with
 * SigV4 (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, default test/test): create a bucket,
 * put, head, get and compare, list, delete — each step on one line; exits 1 on the first
 * step that fails (the seed's `make test-api`).
 */
import { randomBytes } from "node:crypto";
import { AwsClient } from "aws4fetch";
import { toolArgs } from "./cli";
import { HOW_FOUND, locateStack } from "./endpoints";

const USAGE = `usage: npm run test-api [-- --help]
  A signed S3 round trip against a running MockS3: create a bucket, put 64 KiB, head, get and
  compare, list, delete the object and the bucket; one line per step, exit 1 at the first that
  fails. Signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default test/test) in
  AWS_DEFAULT_REGION (us-east-1).
  ${HOW_FOUND}`;

toolArgs(USAGE, {});
const s3 = (await locateStack()).services[0]!.url;
const client = new AwsClient({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID || "test",
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "test",
  service: "s3",
  region: process.env.AWS_DEFAULT_REGION || "us-east-1",
  retries: 0,
});
const bucket = `test-api-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
const body = randomBytes(64 * 1024);

async function step(name: string, method: string, path: string, check: (response: Response) => Promise<boolean>, init: RequestInit = {}): Promise<void> {
  const started = performance.now();
  const response = await client.fetch(`${s3}${path}`, { method, ...init });
  const ok = await check(response);
  console.log(`${ok ? "✔" : "✘"} ${name.padEnd(28)} ${method.padEnd(6)} ${response.status} ${(performance.now() - started).toFixed(1)} ms`);
  if (!ok) {
    console.error(await response.text().catch(() => ""));
    process.exit(1);
  }
}

const drained = (status: number) => async (response: Response) => {
  await response.body?.cancel();
  return response.status === status;
};

await step("create bucket", "PUT", `/${bucket}`, drained(200));
await step("put object (64 KiB)", "PUT", `/${bucket}/hello.bin`, drained(200), { body });
await step("head object", "HEAD", `/${bucket}/hello.bin`, async (r) => r.status === 200 && r.headers.get("content-length") === String(body.byteLength));
await step("get object, same bytes", "GET", `/${bucket}/hello.bin`, async (r) => r.status === 200 && Buffer.from(await r.arrayBuffer()).equals(body));
await step("list objects (v2)", "GET", `/${bucket}?list-type=2`, async (r) => r.status === 200 && (await r.text()).includes("<Key>hello.bin</Key>"));
await step("delete object", "DELETE", `/${bucket}/hello.bin`, drained(204));
await step("delete bucket", "DELETE", `/${bucket}`, drained(204));
console.log(`S3 round trip against ${s3}: all steps passed`);
