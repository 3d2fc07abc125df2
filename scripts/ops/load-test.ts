/**
 * `npm run load-test`: a bounded load on the running MockS3 — the benchmark's closed-loop
 * generator (bench/load-generator.ts), 4 KiB objects in the bucket `bench`, a GET/PUT mix —
 * printing requests per second, errors and latency, e.g. to watch what a fault rule or an
 * anomaly does to a steady workload. Loopback only, at most 120 s and 256 connections, so
 * that a typo cannot turn it on another machine or leave it running.
 */
import ipaddr from "ipaddr.js";
import { runLoad } from "../../bench/load-generator";
import { ObjectPool } from "../../bench/object-pool";
import { parseMix } from "../../bench/operation-mix";
import { prepareBucket, seedPool } from "../../bench/seed";
import { Sigv4Signer } from "../../bench/sigv4-signer";
import { BUCKET, REGION, type Target } from "../../bench/targets/catalogue";
import { toolArgs, usageError } from "./cli";
import { HOW_FOUND, locateStack } from "./endpoints";

const USAGE = `usage: npm run load-test [-- flags]
  A bounded GET/PUT load on a running MockS3 (loopback only), in the bucket \`bench\`: prints
  requests/s, errors, latency and the stack's CPU.
  --seconds N         measured seconds, 1–120 (default 10; 1 s of warm-up before)
  --concurrency N     connections in flight, 1–256 (default 16)
  --mix SPEC          the operations and their shares (default get:80,put:20; get, put, head, list)
  --size BYTES        object size, up to 16 MiB (default 4096)
  -h, --help          this text
  Signs with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (default test/test).
  ${HOW_FOUND}`;

const { values } = toolArgs(USAGE, {
  options: {
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "16" },
    mix: { type: "string", default: "get:80,put:20" },
    size: { type: "string", default: "4096" },
  },
});
const seconds = bounded("--seconds", values.seconds, 1, 120);
const concurrency = bounded("--concurrency", values.concurrency, 1, 256);
const size = bounded("--size", values.size, 1, 16 * 1024 * 1024);
const mix = mixOf(values.mix);

const { services, run } = await locateStack();
const url = new URL(services[0]!.url);
const host = url.hostname.replace(/^\[|\]$/g, "");
if (!ipaddr.isValid(host) || ipaddr.process(host).range() !== "loopback") fail(`the load test only targets loopback addresses, not ${host}`);
const target: Target = {
  name: "mocks3",
  url,
  signer: new Sigv4Signer({ accessKeyId: process.env.AWS_ACCESS_KEY_ID || "test", secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "test" }, REGION, url.host),
  storesObjects: true,
  // the stack's process, for the server CPU figures (none when no stack is recorded here)
  server: { name: "mocks3", pid: run?.nodePid ?? -1, urls: {}, stop: async () => undefined },
};

const pool = new ObjectPool(BUCKET, size, "unsigned");
await prepareBucket(target);
await seedPool(target, pool);
console.log(`load test: ${mix.label}, ${size} B objects, ${concurrency} connections, ${seconds} s against ${url.origin}`);
const result = await runLoad({ target, mix, concurrency, warmupMs: 1000, durationMs: seconds * 1000, pool, client: "raw" });
const { latency } = result;
console.log(`${result.opsPerSecond.toFixed(0)} requests/s, ${result.errors} errors${result.firstError ? ` (first: ${result.firstError})` : ""}`);
console.log(`latency p50 ${latency.p50Ms.toFixed(2)} ms, p99 ${latency.p99Ms.toFixed(2)} ms, max ${latency.maxMs.toFixed(1)} ms`);
if (run)
  console.log(
    `server CPU ${Object.values(result.serverCpuPercent)
      .reduce((a, b) => a + b, 0)
      .toFixed(0)} % of one core, ${result.serverCpuMicrosPerOp.toFixed(0)} µs a request`,
  );

function bounded(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) usageError(USAGE, `load-test: ${name} must be an integer from ${min} to ${max}`);
  return value;
}

function mixOf(text: string) {
  try {
    return parseMix(text);
  } catch (error) {
    usageError(USAGE, `load-test: ${(error as Error).message}`);
  }
}

function fail(message: string): never {
  console.error(`load-test: ${message}`);
  process.exit(2);
}
