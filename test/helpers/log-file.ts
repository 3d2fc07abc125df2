/** A stack's structured log (sidecars/stack/log-file.ts), read whole; a line that is not JSON fails the read. */
import { readFile } from "node:fs/promises";
import type { LogLine } from "../../shared/telemetry/log-line";
import { logFilePath } from "../../sidecars/stack/log-file";

export async function logLines(dataDir: string): Promise<LogLine[]> {
  const text = await readFile(logFilePath(dataDir), "utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as LogLine);
}
