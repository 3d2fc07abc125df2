/**
 * Child process: s3rver (the usual Node S3 fake; Koa on the filesystem) on an ephemeral
 * loopback port, storing under BENCH_DATA_DIR, with the bench bucket configured up front.
 * It accepts SigV4 without checking the signature, so its figures carry no auth cost.
 */
import S3rver from "s3rver";
import { announceAndServe } from "./host-lifecycle";

const server = new S3rver({
  address: "127.0.0.1",
  port: 0,
  silent: true,
  directory: process.env.BENCH_DATA_DIR!,
  configureBuckets: [{ name: process.env.BENCH_BUCKET ?? "bench" }],
});
const { port } = await server.run();
announceAndServe({ url: `http://127.0.0.1:${port}` }, () => server.close());
