/**
 * Child process: the bare worker (bare-worker.mjs) on Miniflare, served on its own direct
 * workerd socket (`unsafeDirectSockets`) — the same path the gateway's socket takes, with
 * no Miniflare entry proxy in between. BENCH_BODY_SIZE sets the GET body's size.
 */
import path from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";
import { announceAndServe } from "./host-lifecycle";

const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  log: new Log(LogLevel.WARN),
  workers: [
    {
      name: "bare",
      modules: true,
      scriptPath: path.join(import.meta.dirname, "bare-worker.mjs"),
      compatibilityDate: "2026-04-20",
      bindings: { BODY_SIZE: process.env.BENCH_BODY_SIZE ?? "4096" },
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
    },
  ],
});
await mf.ready;
const url = (await mf.unsafeGetDirectURL("bare")).toString().replace(/\/$/, "");
announceAndServe({ url }, () => mf.dispose());
