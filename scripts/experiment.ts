/**
 * `npm run experiment -- file.yaml`: runs a chaos experiment on a running MockS3 and follows
 * it to its end — posts the document to mock-error-service's experiments API, polls it every
 * 500 ms printing what changed (scripts/experiment/progress.ts), then the verdict, and writes
 * the HTML report and the result's JSON when asked. Ctrl-C aborts the experiment (its rollback
 * runs before the answer) rather than leaving its faults in force. The exit code is the
 * verdict, so that a CI job can gate on an experiment.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Answer, ExperimentsApi } from "./experiment/experiments-api";
import { planLines, progressLines, summaryLines } from "./experiment/progress";
import { toolArgs, usageError } from "./ops/cli";
import { HOW_FOUND, locateStack } from "./ops/endpoints";

const POLL_MS = 500;
/** how long the API may stay silent before the tool gives up on it */
const SILENCE_MS = 30_000;
const CONTENT_TYPES: Record<string, string> = { ".yaml": "application/yaml", ".yml": "application/yaml", ".json": "application/json" };

const USAGE = `usage: npm run experiment -- <file.yaml|file.yml|file.json> [flags]
  Runs a chaos experiment on a running MockS3 and follows it: prints each phase as it starts,
  each ended phase's check values and verdicts, the log, and the stop reason; then the verdict
  and the report's URL. Ctrl-C aborts the experiment (its rollback runs) and exits 1.
  Exit codes: 0 the hypothesis held; 1 it failed, a stop condition ended it, or it was
  aborted; 2 a usage error, an invalid document (the reason is printed) or an API error.
  --report <file>     write the HTML report to this file
  --json <file>       write the final result (JSON) to this file
  --check             check the document and print its timeline; start nothing (exit 0, or 2 with the reason)
  --url <url>         mock-error-service's address (default: found as below, port base+5)
  -h, --help          this text
  ${HOW_FOUND}`;

const { values, positionals } = toolArgs(USAGE, {
  allowPositionals: true,
  options: { report: { type: "string" }, json: { type: "string" }, url: { type: "string" }, check: { type: "boolean" } },
});
if (positionals.length !== 1) usageError(USAGE, positionals.length ? `one document at a time, not ${positionals.length}` : "which experiment? give its file");
const file = positionals[0]!;
const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
if (!contentType) usageError(USAGE, `${file}: an experiment is a .yaml, .yml or .json file`);

const interrupt = new AbortController();
const base = (values.url ?? (await locateStack()).services.find((s) => s.name === "mock-error-service")!.url).replace(/\/+$/, "");
const api = new ExperimentsApi(base, interrupt.signal);
process.on("SIGINT", () => {
  // a second Ctrl-C does not wait for the rollback
  if (interrupt.signal.aborted) process.exit(1);
  interrupt.abort();
});

const document = await readFile(file, "utf8").catch((error: Error) => fail(`cannot read ${file}: ${error.message}`));
if (values.check) {
  const plan = await api.check(document, contentType);
  if (!plan.ok) fail(plan.status === undefined ? `cannot reach the experiments API: ${plan.reason}` : `the experiment was refused: ${plan.reason}`);
  print(planLines(plan.value));
  process.exit(0);
}
const started = await api.start(document, contentType);
if (!started.ok) fail(started.status === undefined ? `cannot reach the experiments API: ${started.reason}` : `the experiment was refused: ${started.reason}`);
let result = started.value;
print([`experiment ${result.id} "${result.name}": ${result.phases.length} phases, ${Math.round(result.total_ms / 1000)}s planned`, ...progressLines(undefined, result)]);

let answered = Date.now();
let silent = false;
while (result.status === "running" && !interrupt.signal.aborted) {
  await pause(POLL_MS, interrupt.signal);
  if (interrupt.signal.aborted) break;
  const next = await api.get(result.id);
  if (!next.ok) {
    if (Date.now() - answered > SILENCE_MS) fail(`the experiments API stopped answering for ${SILENCE_MS / 1000}s (${next.reason}); experiment ${result.id} may still be running`);
    if (!silent && !interrupt.signal.aborted) console.error(`(no answer: ${next.reason}; trying again for up to ${SILENCE_MS / 1000}s)`);
    silent = true;
    continue;
  }
  answered = Date.now();
  silent = false;
  print(progressLines(result, next.value));
  result = next.value;
}

if (result.status === "running") {
  console.log(`interrupted: aborting experiment ${result.id} (rolling back)…`);
  const aborted = await api.abort(result.id);
  if (!aborted.ok) fail(`the abort failed: ${aborted.reason}; experiment ${result.id} may still be running`);
  print(progressLines(result, aborted.value));
  result = aborted.value;
}

print(summaryLines(result));
console.log(`report   ${api.reportUrl(result.id)}`);
if (values.json) await save(values.json, `${JSON.stringify(result, null, 2)}\n`);
if (values.report) await save(values.report, written(await api.report(result.id), "the report"));
process.exit(result.verdict === "passed" && !interrupt.signal.aborted ? 0 : 1);

/** Lines with the document's and the log's text in them: control characters shown as �, so that none drives the terminal. */
function print(lines: string[]): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is replaced
  for (const line of lines) console.log(line.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "�"));
}

async function save(file: string, text: string): Promise<void> {
  await writeFile(file, text).catch((error: Error) => fail(`cannot write ${file}: ${error.message}`));
  console.log(`wrote    ${file}`);
}

function written(answer: Answer<string>, what: string): string {
  if (!answer.ok) fail(`cannot fetch ${what}: ${answer.reason}`);
  return answer.value;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const woken = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", woken);
      resolve();
    }, ms);
    signal.addEventListener("abort", woken, { once: true });
  });
}

/** An API or file error: the reason on stderr, exit 2. */
function fail(reason: string): never {
  console.error(reason);
  process.exit(2);
}
