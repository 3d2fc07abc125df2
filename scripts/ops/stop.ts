/**
 * `npm run stop`: ends the MockS3 that `npm start` runs from this data directory (the seed's
 * `make down`), found by the pid in its run record. SIGTERM first, which is Ctrl-C's path:
 * the stack ends its anomalies, closes the front door and workerd, and removes its record.
 * A stack that does not end within the time limit is killed, and what a killed stack leaves
 * (workerd, the sidecar, the record) is ended the way the next start would (leftovers.ts).
 */
import path from "node:path";
import { clearLeftovers, stackIsRunning } from "../../sidecars/stack/leftovers";
import { readRunRecord, type RunRecord } from "../../sidecars/stack/run-record";
import { toolArgs, usageError } from "./cli";
import { dataDirOf } from "./endpoints";

const POLL_MS = 100;

const USAGE = `usage: npm run stop [-- flags]
  Stops the MockS3 whose run record is in MOCKS3_DATA_DIR (./.mocks3), as Ctrl-C would, and
  waits until it has ended. Nothing running there: says so, exit 0.
  --timeout S         seconds to wait before killing it (default 30)
  -h, --help          this text`;

const { values } = toolArgs(USAGE, { options: { timeout: { type: "string", default: "30" } } });
const timeoutS = Number(values.timeout);
if (!(timeoutS > 0)) usageError(USAGE, `--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`);
const dataDir = path.resolve(dataDirOf());
const run = await readRunRecord(dataDir);

if (!run) {
  console.log(`no MockS3 is recorded in ${dataDir}: nothing to stop`);
} else if (!(await stackIsRunning(run))) {
  await clearLeftovers(dataDir);
  console.log(`MockS3 (pid ${run.nodePid}) had already ended; what it left running is ended and its record removed`);
} else {
  const started = performance.now();
  process.kill(run.nodePid, "SIGTERM");
  if (await ended(run, timeoutS * 1000)) {
    console.log(`stopped MockS3 (pid ${run.nodePid}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } else {
    process.kill(run.nodePid, "SIGKILL");
    await ended(run, 5000);
    await clearLeftovers(dataDir);
    console.log(`MockS3 (pid ${run.nodePid}) did not stop within ${timeoutS} s: killed, with its workerd and sidecar`);
  }
}

async function ended(record: RunRecord, limitMs: number): Promise<boolean> {
  for (const deadline = Date.now() + limitMs; Date.now() < deadline; ) {
    if (!(await stackIsRunning(record))) return true;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return !(await stackIsRunning(record));
}
