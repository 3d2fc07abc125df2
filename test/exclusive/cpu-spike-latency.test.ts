/**
 * What cpu_spike promises about latency (README, "cpu_spike and latency"): it holds the whole
 * machine's CPU usage at the target, the stack's own work included, and its threads take the
 * share between the machine's other load and the target — so, when the anomaly's own share
 * is a large one, work takes longer while it runs than on the quiet machine: a request
 * through the stack, or a fixed piece of CPU-bound work. Either may escape on a given run —
 * the kernel's scheduler sometimes runs a process that wakes up briefly ahead of the spike's
 * threads (in seven runs on one machine, once the probe at ×0.98 with the GET at ×1.44, once
 * the GET at ×1.07 with the probe at ×1.53) — so the promise is checked on the slower of the
 * two (1.16–2.19× in those runs). It adds what is missing to the target, not the
 * target on top: work that keeps the machine busy itself (a tight loop of GETs) leaves it
 * little share, and is barely slowed.
 *
 * Measured here from /proc, not through the sidecar: the machine's busy share, the sidecar's
 * own share, and the wall time of a probe process's fixed work. The probe and a 4 MiB GET run
 * once per round, with a pause between rounds, so that they are a small part of the target;
 * blocks of rounds without and with the spike alternate, and each figure is the median of all
 * rounds of a kind. Runs after the rest of the suite (test/exclusive/); on a machine whose
 * other load leaves the anomaly too small a share, no slowdown is promised and only the
 * figures are printed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rm } from "node:fs/promises";
import os from "node:os";
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../helpers/anomaly-sidecar";
import { TEST_CREDENTIALS } from "../helpers/credentials";
import { faultApi } from "../helpers/faults";
import { pattern } from "../helpers/object-bodies";
import { busyPercent, machineCpu, processCpuSeconds } from "../helpers/proc";
import { newBucket, s3Client } from "../helpers/s3";
import { startStackProcess, type StackProcess } from "../helpers/stack-process";

const TARGET = 85;
const SIZE = 4 * 1024 * 1024;
/**
 * Quiet blocks and blocks under the spike alternate (quiet, spike, … quiet), BLOCK rounds
 * each, so that other load that comes and goes on the machine falls on both alike.
 */
const CYCLES = 3;
const BLOCK = 6;
/** the pause after each round: the rounds' own load stays a small part of the machine */
const PAUSE_MS = 600;
/** how long the probe's fixed work takes on this machine before the spike, about */
const PROBE_MS = 60;
/**
 * The anomaly's own share (points of all cores) from which a slowdown is promised. On a quiet
 * machine it takes 70–80 points; beside a process that keeps one core busy (`npm run
 * test:busy`) about 28, which left the probe and the GET no slower (×0.88, ×0.94): too small a
 * share to promise anything.
 */
const LARGE_SHARE = 40;
const SLOWER = 1.1;

let stack: StackProcess;
let s3: S3Client;
let bucket: string;
let probe: Probe;

beforeAll(async () => {
  stack = await startStackProcess({ env: { MOCKS3_CREDENTIALS: TEST_CREDENTIALS } });
  s3 = s3Client(undefined, stack.endpoint);
  bucket = await newBucket("cpu-latency", s3);
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: pattern(SIZE, 7) }));
  probe = await Probe.start();
}, 90_000);

afterAll(async () => {
  probe?.close();
  await stack?.stop();
  // run alone (--project exclusive), no global setup removes the scratch folders afterwards
  if (stack) await rm(stack.dataDir, { recursive: true, force: true });
});

/**
 * A Node process that runs a fixed amount of CPU work (a loop of `iterations`) for each line
 * it reads, and writes how many milliseconds it took. It ends when its stdin closes.
 */
class Probe {
  static readonly CODE = `
let sink = 0;
require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
  const started = performance.now();
  for (let i = 0, n = Number(line); i < n; i++) sink += Math.sqrt(i);
  process.stdout.write(performance.now() - started + "\\n");
});`;

  #iterations = 1_000_000;
  readonly #waiting: Array<{ resolve(ms: number): void; reject(error: Error): void }> = [];

  private constructor(private readonly child: ChildProcess) {
    let buffered = "";
    child.stdout!.on("data", (chunk) => {
      buffered += chunk;
      for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
        this.#waiting.shift()?.resolve(Number(buffered.slice(0, end)));
        buffered = buffered.slice(end + 1);
      }
    });
    child.once("exit", (code, signal) => {
      for (const waiter of this.#waiting.splice(0)) waiter.reject(new Error(`the probe process ended (${signal ?? `code ${code}`})`));
    });
  }

  /** A probe whose work takes about PROBE_MS on this machine now (warmed up, then sized). */
  static async start(): Promise<Probe> {
    const probe = new Probe(spawn(process.execPath, ["-e", Probe.CODE], { stdio: ["pipe", "pipe", "inherit"] }));
    for (let i = 0; i < 3; i++) await probe.run();
    const times = [await probe.run(), await probe.run(), await probe.run()].sort((a, b) => a - b);
    probe.#iterations = Math.round((probe.#iterations * PROBE_MS) / Math.max(1, times[1]!));
    return probe;
  }

  /** The fixed work once; its wall time in ms. */
  run(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.child.stdin!.write(`${this.#iterations}\n`);
    });
  }

  close(): void {
    this.child.stdin!.end();
  }
}

/** What a kind of block (quiet, or under the spike) measured, all its blocks together. */
class Tally {
  readonly probes: number[] = [];
  readonly gets: number[] = [];
  #seconds = 0;
  #machine = { busy: 0, total: 0 };
  #sidecarSeconds = 0;

  /** BLOCK rounds of the probe and a GET, paced, counted in this tally with the shares meanwhile. */
  async block(): Promise<void> {
    const sidecarPid = ((await (await fetch(`${stack.anomalies}/health`)).json()) as { pid: number }).pid;
    const machineBefore = machineCpu();
    const sidecarBefore = processCpuSeconds(sidecarPid);
    const started = performance.now();
    for (let i = 0; i < BLOCK; i++) {
      this.probes.push(await probe.run());
      const sent = performance.now();
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin" }));
      expect((await got.Body!.transformToByteArray()).byteLength).toBe(SIZE);
      this.gets.push(performance.now() - sent);
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS)); // pacing, not a wait for an event
    }
    const machineAfter = machineCpu();
    this.#seconds += (performance.now() - started) / 1000;
    this.#machine = { busy: this.#machine.busy + machineAfter.busy - machineBefore.busy, total: this.#machine.total + machineAfter.total - machineBefore.total };
    this.#sidecarSeconds += processCpuSeconds(sidecarPid) - sidecarBefore;
  }

  get probeMs(): number {
    return median(this.probes);
  }

  get getMs(): number {
    return median(this.gets);
  }

  /** the machine's busy share, percent of all cores */
  get machine(): number {
    return busyPercent({ busy: 0, total: 0 }, this.#machine);
  }

  /** the anomalies sidecar's own share, percent of all cores */
  get sidecar(): number {
    return (100 * this.#sidecarSeconds) / (this.#seconds * os.availableParallelism());
  }

  toString(): string {
    return `probe ${this.probeMs.toFixed(1)} ms, 4 MiB GET ${this.getMs.toFixed(1)} ms, machine ${this.machine.toFixed(0)} %, sidecar ${this.sidecar.toFixed(0)} %`;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("cpu_spike latency", () => {
  it(`cpu_spike at ${TARGET} % › holds the machine there, and work (a GET through the stack, fixed CPU-bound work) takes longer while its share is large`, { timeout: 180_000 }, async () => {
    const api = (method: string, path: string, body?: unknown) => faultApi(method, path, body, stack.services["mock-error-service"]);
    await new Tally().block(); // warm-up
    const quiet = new Tally();
    const spiked = new Tally();
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      await quiet.block();
      const created = await api("POST", "/metric-anomaly", {
        name: "latency",
        service: "gateway",
        metric_name: "system_cpu_usage_percent",
        anomaly_type: "cpu_spike",
        target_value: TARGET,
        duration: "5m",
        enabled: true,
      });
      expect(created.status).toBe(201);
      await until("the machine at the target", async () => ((await api("GET", `/metric-anomaly/${created.json.id}`)).json.actual_value >= TARGET - 10 ? true : undefined), 20_000);
      await spiked.block();
      // the answer comes once the threads have ended
      expect((await api("DELETE", `/metric-anomaly/${created.json.id}`)).json.state).toBe("cancelled");
    }
    await quiet.block();
    const slowdown = spiked.probeMs / quiet.probeMs;
    const getSlowdown = spiked.getMs / quiet.getMs;
    console.log(`cpu_spike ${TARGET} % — quiet: ${quiet}; spike: ${spiked}; slowdown: probe ×${slowdown.toFixed(2)}, GET ×${getSlowdown.toFixed(2)}`);

    // the machine was held at the target (the rounds' own load counts toward it), and the
    // anomaly's threads were gone between spikes
    expect(spiked.machine).toBeGreaterThanOrEqual(TARGET - 10);
    expect(quiet.sidecar).toBeLessThan(5);
    if (spiked.sidecar >= LARGE_SHARE) expect(Math.max(slowdown, getSlowdown)).toBeGreaterThan(SLOWER);
  });
});
