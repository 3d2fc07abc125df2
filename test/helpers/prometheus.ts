/**
 * A real Prometheus for tests (Debian's `prometheus` package, which `.ci/run` installs): one
 * scrape job every second against the given target, its own port and temporary storage,
 * queried through the HTTP API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { freePortRange } from "./ports";
import { scratchDir } from "./scratch-dir";

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Prometheus {
  url: string;
  /** An instant query's vector; throws with Prometheus' reason when the query is refused. */
  query(promql: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;

export async function startPrometheus(target: string): Promise<Prometheus> {
  const dir = await scratchDir("mocks3-prometheus");
  const config = path.join(dir, "prometheus.yml");
  await writeFile(config, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: mocks3\n    static_configs:\n      - targets: ["${target}"]\n`);
  const port = await freePortRange(1);
  const url = `http://127.0.0.1:${port}`;
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`];
  const child = spawn("prometheus", args, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  child.stderr!.on("data", (d) => (log = (log + d).slice(-4000)));
  const spawned = await new Promise<Error | undefined>((resolve) => {
    child.once("spawn", () => resolve(undefined));
    child.once("error", resolve);
  });
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  if (spawned) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`cannot run prometheus (${spawned.message}): install Debian's prometheus package (apt-get install prometheus), as .ci/run does`);
  }
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (
    !(await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    async query(promql) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
      if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
      if (body.data!.resultType !== "vector") throw new Error(`${promql}: a ${body.data!.resultType}, not a vector`);
      return body.data!.result;
    },
    stop,
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
