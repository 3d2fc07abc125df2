/**
 * The printed report: one table of small-object cases with MockS3's ratios beside each
 * figure, one for the large object with memory, then the goals. Only this module formats
 * results for people; .bench/last.json holds the same figures unrounded.
 */
import type { FaultResult } from "./faults";
import type { AddRound, RulesScaleResult } from "./rules-scale";
import { formatSlowdown, GOAL_CONCURRENCY, sizeLabel } from "./goals";
import type { LargeResult, TransferResult } from "./large-object";
import type { LoadResult } from "./load-generator";
import type { MultipartResult } from "./multipart";
import type { StartResult } from "./npm-start";
import type { SoakResult } from "./soak";
import { findCeiling, findSmall, type BenchResults } from "./results";
import { renderTable } from "./text-table";

const MIB = 1024 * 1024;

export function printReport(results: BenchResults): void {
  const { options, machine } = results;
  console.log(`\nMockS3 benchmark — ${machine.cpus} cores, Node ${machine.node}, ${new Date(results.startedAt).toISOString()}`);
  console.log(`${sizeLabel(options.size)} objects: ${options.warmupS} s warm-up + ${options.durationS} s per case, ${options.client} HTTP/1.1 client; PUT bodies signed as ${results.payloadSigning}.`);
  console.log("gen CPU = the generator's own CPU (process.cpuUsage), srv CPU = the server's node/workerd processes (/proc); % of one core.");
  console.log("srv µs/op = all server CPU per completed request (10 ms /proc ticks: rough below ~100 ops).");
  console.log("MB = 10^6 bytes. ×bare / ×s3rver compare ops/s; the bare worker's GET is the ceiling for HEAD and LIST.");
  if (results.npmStart) console.log(startLine(results.npmStart));
  console.log("");
  if (results.small.length > 0) {
    console.log(smallTable(results.small));
    printErrors(results.small);
  }
  if (results.faults) console.log(`\n${faultSection(results.faults, options.size)}`);
  if (results.rulesScale) console.log(`\n${rulesScaleSection(results.rulesScale, options.size)}`);
  if (results.large.length > 0) {
    console.log(`\n${sizeLabel(results.large[0]!.bytes)} object, streamed — memory is the server's process tree RSS, sampled every 100 ms\n`);
    console.log(largeTable(results.large));
  }
  if (results.multipart) console.log(`\n${multipartSection(results.multipart)}`);
  if (results.soak) console.log(`\n${soakSection(results.soak)}`);
  console.log(`\nTargets (judged at c${GOAL_CONCURRENCY}; never an exit code)`);
  for (const goal of results.goals) console.log(`  ${goal.status.padEnd(4)}  ${goal.goal.padEnd(58)} ${goal.measured}`);
  console.log(`\nwall time ${results.wallSeconds.toFixed(0)} s`);
}

/** The soak's RSS samples, six to a line. */
function soakSection(r: SoakResult): string {
  const title = `${r.minutes} min of ${r.mix} at c${r.concurrency} (mocks3) — the server tree's RSS after each 10 s window`;
  const cells = r.samples.map((s) => `${String(s.second).padStart(4)} s ${(s.rssBytes / MIB).toFixed(0).padStart(4)} MiB`);
  const lines: string[] = [];
  for (let i = 0; i < cells.length; i += 6) lines.push(`  ${cells.slice(i, i + 6).join("  ")}`);
  const ops = r.samples.reduce((total, s) => total + s.opsPerSecond, 0) / r.samples.length;
  const growth = `last minute against the first: ${(r.growthBytes / MIB).toFixed(0)} MiB, against the one halfway: ${(r.lateGrowthBytes / MIB).toFixed(0)} MiB`;
  return [title, "", ...lines, `  mean ${ops.toFixed(0)} ops/s; ${growth}`].join("\n");
}

/** `npm start: ready in 4.2 s; at rest 380 MiB (npm 55 + node 150 + workerd 160 + …)`. */
function startLine(r: StartResult): string {
  if (r.error) return `npm start: ${r.error}`;
  const parts = Object.entries(r.restByProcess).map(([name, bytes]) => `${name} ${(bytes / MIB).toFixed(0)}`);
  return `npm start: every /health 200 in ${r.readySeconds.toFixed(1)} s; at rest ${(r.restBytes / MIB).toFixed(0)} MiB (${parts.join(" + ")})`;
}

function smallTable(small: LoadResult[]): string {
  const header = ["op", "conc", "target", "ops/s", "MB/s", "p50 ms", "p99 ms", "gen CPU", "srv CPU", "srv µs/op", "errors", "×bare", "×s3rver", "front door"];
  const rows: string[][] = [];
  let group = "";
  for (const r of small) {
    const key = `${r.mix}/${r.concurrency}`;
    if (group && key !== group) rows.push([]);
    group = key;
    const mockS3 = r.target === "mocks3" || r.target === "direct";
    const ceiling = findCeiling(small, r.mix, r.concurrency);
    const s3rver = findSmall(small, "s3rver", r.mix, r.concurrency);
    const direct = findSmall(small, "direct", r.mix, r.concurrency);
    rows.push([
      r.mix.toUpperCase(),
      String(r.concurrency),
      r.target,
      r.opsPerSecond.toFixed(0),
      r.mbPerSecond.toFixed(1),
      ms(r.latency.p50Ms),
      ms(r.latency.p99Ms),
      percent(r.generatorCpuPercent),
      serverCpu(r.serverCpuPercent),
      Number.isNaN(r.serverCpuMicrosPerOp) ? "—" : r.serverCpuMicrosPerOp.toFixed(0),
      String(r.errors),
      mockS3 && ceiling ? (r.opsPerSecond / ceiling.opsPerSecond).toFixed(2) : "",
      mockS3 && s3rver ? (r.opsPerSecond / s3rver.opsPerSecond).toFixed(2) : "",
      r.target === "mocks3" && direct ? formatSlowdown(1 - r.opsPerSecond / direct.opsPerSecond) : "",
    ]);
  }
  return renderTable(header, rows, 3);
}

function printErrors(small: LoadResult[]): void {
  for (const r of small.filter((x) => x.errors > 0)) {
    console.log(`  ! ${r.target} ${r.mix} c${r.concurrency}: ${r.errors} failed or wrong answers, first: ${r.firstError}`);
  }
}

function largeTable(large: LargeResult[]): string {
  const header = ["target", "PUT MB/s", "gen CPU", "srv CPU", "GET MB/s", "gen CPU", "srv CPU", "idle MiB", "peak PUT", "peak GET", "growth", "gen RSS"];
  const rows = large.map((r) => {
    const peaks = Object.values(r.memory.peakBytes);
    const growth = (Math.max(...peaks) - r.memory.idleBytes) / MIB;
    return [
      r.target,
      ...transferCells(r.put),
      ...(r.get ? transferCells(r.get) : ["—", "", ""]),
      mib(r.memory.idleBytes),
      mib(r.memory.peakBytes.put),
      mib(r.memory.peakBytes.get),
      `+${growth.toFixed(0)}`,
      mib(r.memory.generatorPeakBytes),
    ];
  });
  const table = renderTable(header, rows);
  const splits = large.filter((r) => Object.keys(r.memory.idleByExecutable).length > 1).map(memorySplit);
  const ratios = largeRatios(large);
  const failures = large.flatMap((r) => [r.put, r.get].filter((t) => t?.error).map((t) => `  ! ${r.target}: ${t!.error}`));
  return [table, ...splits, ...ratios, ...failures].join("\n");
}

/** MockS3's large transfers against the others, as the small table shows them per row. */
function largeRatios(large: LargeResult[]): string[] {
  const find = (name: string) => large.find((r) => r.target === name);
  const mocks3 = find("mocks3");
  if (!mocks3) return [];
  const line = (what: "put" | "get") => {
    const ours = mocks3[what];
    if (!ours || ours.error) return undefined;
    const parts: string[] = [];
    for (const name of ["bare", "s3rver"]) {
      const theirs = find(name)?.[what];
      if (theirs && !theirs.error) parts.push(`${(ours.mbPerSecond / theirs.mbPerSecond).toFixed(2)}× ${name}`);
    }
    const direct = find("direct")?.[what];
    if (direct && !direct.error) parts.push(`front door ${formatSlowdown(1 - ours.mbPerSecond / direct.mbPerSecond)} than direct`);
    return parts.length > 0 ? `  mocks3 ${what.toUpperCase()}: ${parts.join(", ")}` : undefined;
  };
  return [line("put"), line("get")].filter((l): l is string => l !== undefined);
}

/** Which process grew: "mocks3 MiB by process: idle node 120 + workerd 400, PUT peak node 130 + workerd 550, …". */
function memorySplit(r: LargeResult): string {
  const parts = (split: Record<string, number> | undefined) =>
    split
      ? Object.entries(split)
          .filter(([, bytes]) => bytes > MIB)
          .map(([name, bytes]) => `${name} ${mib(bytes)}`)
          .join(" + ")
      : "—";
  const phases = Object.keys(r.memory.peakBytes).map((phase) => `${phase.toUpperCase()} peak ${parts(r.memory.peakByExecutable[phase])}`);
  return `  ${r.target} MiB by process: idle ${parts(r.memory.idleByExecutable)}, ${phases.join(", ")}`;
}

/** The fault engine's case: each run against the mean of the two no-rule runs. */
function faultSection(r: FaultResult, size: number): string {
  const title = `Fault engine — ${sizeLabel(size)} GET at c${r.concurrency} via ${r.target}; answers/s = successful GETs + injected errors; ratio over the no-rule runs around it (theirs: over all three)`;
  const header = ["case", "rules", "answers/s", "p50 ms", "p99 ms", "srv µs/op", "errors", "ratio"];
  const rows = r.cases.map((c) => [
    c.label,
    String(c.rules),
    c.answersPerSecond.toFixed(0),
    ms(c.load.latency.p50Ms),
    ms(c.load.latency.p99Ms),
    Number.isNaN(c.load.serverCpuMicrosPerOp) ? "—" : c.load.serverCpuMicrosPerOp.toFixed(0),
    String(c.load.errors),
    c.ratio.toFixed(2),
  ]);
  return [title, "", renderTable(header, rows)].join("\n");
}

/** Thousands of rules: how fast they were added, and the GETs before, beside and after. */
function rulesScaleSection(r: RulesScaleResult, size: number): string {
  const added = (round: AddRound) => (round.seconds === undefined ? `failed: ${round.error}` : `${round.seconds.toFixed(1)} s (${((round.to - round.from) / round.seconds).toFixed(0)} rules/s)`);
  const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
  const title = `Fault rules at scale — ${r.rules} rules, ${r.alone.inFlight} POSTs in flight: ${added(r.alone)}; workerd ${mib(r.workerdIdleBytes)} → ${mib(r.workerdWithRulesBytes)} MiB with them`;
  const header = ["case", "conc", "ops/s", "p50 ms", "p99 ms", "srv µs/op", "errors", "adds"];
  const row = (label: string, load: LoadResult | undefined, adds = "") =>
    load
      ? [label, String(load.concurrency), load.opsPerSecond.toFixed(0), ms(load.latency.p50Ms), ms(load.latency.p99Ms), load.serverCpuMicrosPerOp.toFixed(0), String(load.errors), adds]
      : [label, "—", "—", "—", "—", "—", "—", adds];
  const alternating = r.none.flatMap((none, i) => {
    const withRules = r.withRules[i];
    return [row(`${sizeLabel(size)} GET, no rules`, none), ...(withRules ? [row(`${sizeLabel(size)} GET, ${r.rules} rules`, withRules)] : [])];
  });
  const rows = [
    ...alternating,
    ...r.oneByOne.flatMap(({ quiet, adds }) => [
      row(`${sizeLabel(size)} GET, nothing beside`, quiet),
      row(`${sizeLabel(size)} GET beside adds ${adds.from + 1}–${adds.to} one by one`, adds.gets, added(adds)),
    ]),
    row(`${sizeLabel(size)} GET beside adds ${r.saturating.inFlight} at a time`, r.saturating.gets, added(r.saturating)),
  ];
  return [title, "", renderTable(header, rows)].join("\n");
}

/** The multipart upload, against a plain copy of as many bytes on this disk. */
function multipartSection(r: MultipartResult): string {
  const title = `${sizeLabel(r.bytes)} multipart upload, ${sizeLabel(r.partBytes)} parts, ${r.concurrency} in flight (${r.target}), and a plain file copy of it`;
  const header = ["case", "MB/s", "seconds", "gen CPU", "srv CPU", "idle MiB", "peak MiB", "growth"];
  const peak = Math.max(...Object.values(r.memory.peakBytes));
  const rows = [
    [
      "multipart",
      r.upload.error ? "failed" : r.upload.mbPerSecond.toFixed(0),
      r.upload.seconds.toFixed(2),
      percent(r.upload.generatorCpuPercent),
      serverCpu(r.upload.serverCpuPercent),
      mib(r.baselineIdleBytes),
      mib(peak),
      `+${((peak - r.baselineIdleBytes) / MIB).toFixed(0)}`,
    ],
    ["file copy + fsync", r.fileCopy.mbPerSecond.toFixed(0), r.fileCopy.seconds.toFixed(2), "", "", "", "", ""],
  ];
  const ratio = r.upload.error ? `  ! ${r.upload.error}` : `  multipart at ${(r.upload.mbPerSecond / r.fileCopy.mbPerSecond).toFixed(2)}× the plain copy's speed`;
  const split = Object.entries(r.memory.peakByExecutable.multipart ?? {})
    .filter(([, bytes]) => bytes > MIB)
    .map(([name, bytes]) => `${name} ${mib(bytes)}`)
    .join(" + ");
  const idleNote = `  idle = the stack before the run's first large transfer; peak by process: ${split || "—"}`;
  return [title, "", renderTable(header, rows), ratio, idleNote].join("\n");
}

function transferCells(t: TransferResult): string[] {
  return [t.error ? "failed" : t.mbPerSecond.toFixed(0), percent(t.generatorCpuPercent), serverCpu(t.serverCpuPercent)];
}

/**
 * "node/workerd" percentages, e.g. "45/130"; one figure for a Node-only server. Other
 * executables in the tree (the stack's idle esbuild service, left from bundling) stay in the JSON only.
 */
function serverCpu(byExecutable: Record<string, number>): string {
  const shown = ["node", "workerd"].filter((name) => name in byExecutable);
  return shown.map((name) => byExecutable[name]!.toFixed(0)).join("/");
}

function percent(value: number): string {
  return `${value.toFixed(0)}%`;
}

function ms(value: number): string {
  return Number.isNaN(value) ? "—" : value < 10 ? value.toFixed(2) : value.toFixed(1);
}

function mib(bytes: number | undefined): string {
  return bytes === undefined ? "—" : (bytes / MIB).toFixed(0);
}
