/**
 * `npm run test:busy -- [--runs N]`: the suite on a busy machine — `npm test` N times (3 by
 * default) with one core kept busy by a CPU hog beside it, as when a second MockS3 or a build
 * runs on the same 2-core machine. Prints how many runs passed and exits non-zero if any
 * failed. The hog is a child process that ends with this script, however the runs end.
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";

const USAGE = `usage: npm run test:busy -- [--runs N]
  Runs \`npm test\` N times (default 3) beside a process that keeps one CPU core busy, and
  prints how many runs passed. Exits 1 if any run failed.`;

let runs;
try {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "3" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number from 1, got ${JSON.stringify(values.runs)}`);
} catch (error) {
  console.error(`${error.message}\n\n${USAGE}`);
  process.exit(2);
}

// one busy core; it also ends by itself if this script dies without killing it (its stdin closes)
// (it spins 50 ms at a time, so that its event loop notices)
const HOG = "process.stdin.on('end', () => process.exit()); process.stdin.resume(); (function spin() { const end = Date.now() + 50; while (Date.now() < end); setImmediate(spin); })();";
const hog = spawn(process.execPath, ["-e", HOG], { stdio: ["pipe", "ignore", "inherit"] });
const stopHog = () => hog.kill("SIGKILL");
process.once("exit", stopHog);
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));

const results = [];
for (let i = 1; i <= runs; i++) {
  console.log(`\n=== test:busy: run ${i} of ${runs}, one core kept busy (pid ${hog.pid}) ===\n`);
  const started = Date.now();
  const code = await new Promise((resolve) => spawn("npm", ["test"], { stdio: "inherit" }).once("exit", (c) => resolve(c ?? 1)));
  results.push({ run: i, passed: code === 0, seconds: Math.round((Date.now() - started) / 1000) });
}
stopHog();
const passed = results.filter((r) => r.passed).length;
console.log(`\n=== test:busy: ${passed} of ${runs} runs passed with a CPU hog beside them ===`);
for (const r of results) console.log(`  run ${r.run}: ${r.passed ? "passed" : "FAILED"} in ${r.seconds} s`);
process.exit(passed === runs ? 0 : 1);
