/**
 * A tiny "user's service" for the example experiments (examples/experiments/*.yaml) to probe:
 * an ordinary S3 client — @aws-sdk/client-s3 with its default retries (standard mode, 3
 * attempts) — pointed at MockS3. The experiments' probes call it, which also makes the S3
 * traffic that MockS3's own checks measure (all of it in the bucket `demo`).
 *
 *   npx tsx examples/experiments/demo-service.ts
 *
 *   GET /health  200, always
 *   GET /work    PutObject of a small object, then GetObject of it: 200 "ok <ms>", else 503 and the error;
 *                `/work?kib=256` writes and reads 256 KiB instead (up to 1024), too large to be kept with
 *                its metadata: its bytes go to the storage nodes
 *   GET /upload  a multipart upload of 12 MiB (lib-storage's Upload): 200 "ok <ms>", else 503 and the error
 *
 * PORT (default 3000) is where it listens; MOCKS3_ENDPOINT (default http://127.0.0.1:8080) is
 * MockS3's S3 API. The keys are MockS3's default ones (test/test, region us-east-1).
 */
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

const PORT = Number(process.env.PORT ?? 3000);
const ENDPOINT = process.env.MOCKS3_ENDPOINT ?? "http://127.0.0.1:8080";
const BUCKET = "demo";
const UPLOAD_BYTES = 12 * 1024 * 1024;

// nothing but the endpoint differs from a client of real S3: the SDK's retries are its defaults
const s3 = new S3Client({
  endpoint: ENDPOINT,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

async function ensureBucket(): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  }
}

let counter = 0;

/** A small object (or `kib` KiB) written, then read back and compared. */
async function work(query: URLSearchParams): Promise<void> {
  const key = `work/${process.pid}-${counter++ % 100}`;
  const kib = Math.min(1024, Number(query.get("kib")) || 0);
  const body = kib > 0 ? randomBytes(kib * 512).toString("hex") : `hello from the demo service at ${new Date().toISOString()}`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const read = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const text = await read.Body?.transformToString();
  if (text !== body) throw new Error(`read back ${text?.length ?? 0} bytes that differ from what was written`);
}

/** 12 MiB in parts of 5 MiB (lib-storage's default part size), two parts at a time. */
async function upload(): Promise<void> {
  const key = `uploads/${process.pid}-${counter++ % 10}`;
  await new Upload({ client: s3, params: { Bucket: BUCKET, Key: key, Body: randomBytes(UPLOAD_BYTES) }, queueSize: 2 }).done();
}

const routes: Record<string, (query: URLSearchParams) => Promise<void>> = { "/work": work, "/upload": upload };

const server = createServer(async (req, res) => {
  const { pathname: path, searchParams } = new URL(req.url ?? "/", "http://localhost");
  if (req.method === "GET" && path === "/health") return void res.writeHead(200).end("ok\n");
  const route = req.method === "GET" ? routes[path] : undefined;
  if (!route) return void res.writeHead(404).end("not found\n");
  const started = Date.now();
  try {
    await route(searchParams);
    res.writeHead(200, { "content-type": "text/plain" }).end(`ok ${Date.now() - started}\n`);
  } catch (error) {
    const { name, message } = error as Error;
    console.error(`${path} failed after ${Date.now() - started} ms: ${name}: ${message}`);
    res.writeHead(503, { "content-type": "text/plain" }).end(`${name}: ${message}\n`);
  }
});

await ensureBucket();
server.listen(PORT, "127.0.0.1", () => console.log(`demo service on http://127.0.0.1:${PORT} (S3 at ${ENDPOINT}, bucket ${BUCKET})`));
