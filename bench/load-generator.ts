/**
 * The closed-loop load generator: `concurrency` connections, each sending its next request
 * as soon as the last one is answered and checked, for a warm-up (discarded: it opens the
 * connections and warms the JITs on both sides) and then the measured window.
 *
 * Beside every figure it reports its own CPU (process.cpuUsage over the window, as % of one
 * core): on 2 cores the generator competes with the server, and a figure taken while the
 * generator is near 100 % measures the generator. The server's CPU per executable (node,
 * workerd) comes from /proc for the same window.
 */
import { openConnections, type ClientKind, type Connection } from "./http-client";
import { LatencyRecorder, type LatencySummary } from "./latency-recorder";
import type { ObjectPool } from "./object-pool";
import { MixPicker, type OperationMix } from "./operation-mix";
import { cpuByExecutable, cpuDelta, processTree } from "./proc-tree";
import { BUCKET, type Target, type TargetName } from "./targets/catalogue";

export interface LoadCase {
  target: Target;
  mix: OperationMix;
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  pool: ObjectPool;
  client: ClientKind;
  /** ends the measured window when it settles (durationMs is then the longest it runs) */
  until?: Promise<unknown>;
}

export interface LoadResult {
  target: TargetName;
  mix: string;
  concurrency: number;
  objectSize: number;
  ops: number;
  errors: number;
  firstError?: string;
  seconds: number;
  opsPerSecond: number;
  /** payload bytes moved (request + response bodies), 10^6 bytes per MB */
  mbPerSecond: number;
  latency: LatencySummary;
  /** the generator's CPU over the window, % of one core */
  generatorCpuPercent: number;
  generatorCpuMicrosPerOp: number;
  /** the server's CPU over the window by executable, % of one core */
  serverCpuPercent: Record<string, number>;
  /** all of the server's CPU per completed operation: what one request costs it */
  serverCpuMicrosPerOp: number;
}

/** Counters shared by the connections of one phase. */
interface Phase {
  deadline: number;
  next: number;
  ops: number;
  bytes: number;
  errors: number;
  firstError?: string;
  recorder?: LatencyRecorder;
}

export async function runLoad(spec: LoadCase): Promise<LoadResult> {
  const endpoint = { hostname: spec.target.url.hostname, port: spec.target.url.port };
  const set = openConnections(spec.client, endpoint, spec.concurrency);
  try {
    await runPhase(spec, set.connections, spec.warmupMs);
    const pids = processTree(spec.target.server.pid);
    const serverBefore = cpuByExecutable(pids);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const recorder = new LatencyRecorder();
    const phase = await runPhase(spec, set.connections, spec.durationMs, recorder, spec.until);
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const serverCpu = cpuDelta(serverBefore, cpuByExecutable(pids));
    const cpuMicros = cpu.user + cpu.system;
    return {
      target: spec.target.name,
      mix: spec.mix.label,
      concurrency: spec.concurrency,
      objectSize: spec.pool.size,
      ops: phase.ops,
      errors: phase.errors,
      ...(phase.firstError ? { firstError: phase.firstError } : {}),
      seconds,
      opsPerSecond: phase.ops / seconds,
      mbPerSecond: phase.bytes / seconds / 1e6,
      latency: recorder.summary(),
      generatorCpuPercent: cpuMicros / 1e4 / seconds,
      generatorCpuMicrosPerOp: phase.ops > 0 ? cpuMicros / phase.ops : Number.NaN,
      serverCpuPercent: Object.fromEntries(Object.entries(serverCpu).map(([name, s]) => [name, (s / seconds) * 100])),
      serverCpuMicrosPerOp: phase.ops > 0 ? (Object.values(serverCpu).reduce((a, b) => a + b, 0) * 1e6) / phase.ops : Number.NaN,
    };
  } finally {
    set.close();
  }
}

async function runPhase(spec: LoadCase, connections: Connection[], ms: number, recorder?: LatencyRecorder, until?: Promise<unknown>): Promise<Phase> {
  const phase: Phase = { deadline: performance.now() + ms, next: 0, ops: 0, bytes: 0, errors: 0, ...(recorder ? { recorder } : {}) };
  void until?.finally(() => (phase.deadline = 0)).catch(() => undefined);
  await Promise.all(connections.map((c, i) => loop(spec, c, phase, i + 1)));
  return phase;
}

/** One connection's loop: build, sign, send, check, record — until the deadline. */
async function loop(spec: LoadCase, connection: Connection, phase: Phase, seed: number): Promise<void> {
  const { target, pool } = spec;
  const picker = new MixPicker(spec.mix, seed);
  while (performance.now() < phase.deadline) {
    const operation = picker.next();
    const object = pool.at(phase.next++);
    const request = operation.build(pool, object, BUCKET);
    const headers = target.signer.sign(request.method, request.path, request.query, request.payloadHash);
    if (request.body) headers["content-length"] = String(request.body.byteLength);
    const path = request.query ? `${request.path}?${request.query}` : request.path;
    const sent = performance.now();
    try {
      const answer = await connection.request(request.method, path, headers, request.body);
      const ms = performance.now() - sent;
      const problem = operation.check(answer, pool, object, target.storesObjects);
      if (problem) {
        fail(phase, problem);
        continue;
      }
      phase.recorder?.record(ms);
      phase.ops++;
      phase.bytes += (request.body?.byteLength ?? 0) + answer.body.byteLength;
    } catch (error) {
      fail(phase, (error as Error).message);
      // A refused or reset connection fails at once: back off rather than spin.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}

function fail(phase: Phase, message: string): void {
  phase.errors++;
  phase.firstError ??= message;
}
