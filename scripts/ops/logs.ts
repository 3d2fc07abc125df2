/**
 * `npm run logs`: the structured log of a running (or stopped) MockS3,
 * `<data dir>/logs/mocks3.log` — the last lines, then every new one as it is written (the
 * seed's `make logs`, `make logs-metadata`: here `npm run logs -- metadata`). One readable
 * line per entry; `--json` prints them as written, for jq.
 */
import { open, stat } from "node:fs/promises";
import { parseLogLine, type LogLine } from "../../shared/telemetry/log-line";
import { logFilePath } from "../../sidecars/stack/log-file";
import { toolArgs, usageError } from "./cli";
import { dataDirOf, SERVICE_NAMES } from "./endpoints";

const POLL_MS = 250;
const KINDS = ["request", "fault", "anomaly", "delivery", "experiment"];
/** a service by its name, or without "-service" (the seed's logs-metadata); the sidecar's own lines */
const SOURCES = [...SERVICE_NAMES, "sidecar"];

const USAGE = `usage: npm run logs [-- [service] [flags]]
  The structured log in MOCKS3_DATA_DIR (./.mocks3)/logs/mocks3.log: the last lines, then each
  new one as it is written, until Ctrl-C.
  service             only this one: ${SOURCES.join(", ")}
                      (or the name without -service: metadata, storage, …)
  --kind KIND         only entries of this kind: ${KINDS.join(", ")}
  --lines N           how many earlier lines to show first (default 20)
  --json              the entries as written (one JSON object a line, for jq)
  --no-follow         print the earlier lines and exit
  -h, --help          this text`;

const { values, positionals } = toolArgs(USAGE, {
  allowPositionals: true,
  options: { kind: { type: "string" }, lines: { type: "string", default: "20" }, json: { type: "boolean", default: false }, "no-follow": { type: "boolean", default: false } },
});
if (positionals.length > 1) usageError(USAGE, `one service at a time, not ${positionals.join(" ")}`);
const service = positionals[0] && serviceNamed(positionals[0]);
const lines = Number(values.lines);
if (!Number.isInteger(lines) || lines < 0) usageError(USAGE, `--lines must be a whole number, got ${values.lines}`);
if (values.kind && !KINDS.includes(values.kind)) usageError(USAGE, `--kind must be one of ${KINDS.join(", ")}`);
const file = logFilePath(dataDirOf());

const wanted = (entry: LogLine) => (!service || entry.service === service) && (!values.kind || entry.kind === values.kind);
const print = (text: string) => {
  const entry = parseLogLine(text);
  if (entry && wanted(entry)) console.log(values.json ? text : readable(entry));
};

let offset = 0;
let rest = "";
const initial = await readFrom(0);
if (initial === undefined) console.error(`no log yet at ${file}${values["no-follow"] ? "" : "; waiting for it"}`);
else {
  offset = initial.end;
  const complete = initial.text.split("\n");
  rest = complete.pop() ?? "";
  const matching = complete.filter((text) => {
    const entry = parseLogLine(text);
    return entry !== undefined && wanted(entry);
  });
  for (const text of matching.slice(Math.max(0, matching.length - lines))) console.log(values.json ? text : readable(parseLogLine(text)!));
}
if (values["no-follow"]) process.exit(0);
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) continue;
  if (size < offset) offset = 0; // rotated: the new file from its start
  if (size === offset) continue;
  const chunk = await readFrom(offset);
  if (!chunk) continue;
  offset = chunk.end;
  const complete = (rest + chunk.text).split("\n");
  rest = complete.pop() ?? "";
  for (const text of complete) print(text);
}

async function readFrom(start: number): Promise<{ text: string; end: number } | undefined> {
  const handle = await open(file, "r").catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.max(0, size - start));
    await handle.read(buffer, 0, buffer.length, start);
    return { text: buffer.toString("utf8"), end: size };
  } finally {
    await handle.close();
  }
}

function readable(entry: LogLine): string {
  const time = entry["@timestamp"].slice(11, 23);
  const trace = "trace_id" in entry && entry.trace_id ? ` trace=${entry.trace_id}` : "";
  switch (entry.kind) {
    case "request": {
      const fault = entry.fault_rule_id ? ` fault=${entry.fault_action} (rule ${entry.fault_rule_id})` : "";
      const id = entry.request_id ? ` id=${entry.request_id}` : "";
      return `${time} ${entry.service} ${entry.method} ${entry.operation}${entry.bucket ? ` ${entry.bucket}` : ""} ${entry.status} ${entry.duration_ms}ms${id}${trace}${fault}`;
    }
    case "fault":
      return `${time} ${entry.service} FAULT ${entry.fault_rule} ${entry.fault_action} on ${entry.operation} ${entry.bucket}/${entry.key} id=${entry.request_id}${trace}`;
    case "anomaly":
      return `${time} ${entry.service} ANOMALY ${entry.message}`;
    case "delivery":
      return `${time} ${entry.service} DELIVERY ${entry.outcome} ${entry.event_name} ${entry.bucket}/${entry.key} → ${entry.destination} attempt ${entry.attempt} status ${entry.status} ${entry.duration_ms}ms`;
    case "experiment":
      return `${time} ${entry.service} EXPERIMENT ${entry.message}`;
  }
}

function serviceNamed(name: string): string {
  const found = SOURCES.find((n) => n === name || n === `${name}-service`);
  return found ?? usageError(USAGE, `unknown service ${JSON.stringify(name)} (one of ${SOURCES.join(", ")})`);
}
