/**
 * The run record, `<data dir>/stack.json`: which processes a running stack is made of and
 * where it answers. The stack writes it once workerd is up and removes it when it exits; a
 * record left behind is a run that was killed. Two kinds of reader: the next start, which
 * kills what a dead run left (leftovers.ts), and the ops tools (`npm run status`, `stop`,
 * …), which find a stack's ports here when MOCKS3_PORT is not set (scripts/ops/endpoints.ts).
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export interface RunRecord {
  nodePid: number;
  workerdPids: number[];
  /** the anomalies sidecar (sidecars/stack/anomaly-sidecar.ts), once started */
  sidecarPid?: number;
  /** where the stack answers, on addresses this machine reaches (loopback for an any-address), once known */
  endpoints?: StackEndpoints;
}

export interface StackEndpoints {
  /** every service's base URL by name; the gateway's is the front door */
  services: Record<string, string>;
  /** the anomalies sidecar */
  anomalies: string;
}

export function runRecordPath(dataDir: string): string {
  return path.join(dataDir, "stack.json");
}

/** The record, or undefined when there is none (or it is unreadable: a start that died mid-write). */
export async function readRunRecord(dataDir: string): Promise<RunRecord | undefined> {
  try {
    return JSON.parse(await readFile(runRecordPath(dataDir), "utf8")) as RunRecord;
  } catch {
    return undefined;
  }
}

export async function writeRunRecord(dataDir: string, record: RunRecord): Promise<void> {
  await writeFile(runRecordPath(dataDir), JSON.stringify(record));
}

/** Adds fields to this run's record (written by recordRun first). */
export async function amendRunRecord(dataDir: string, fields: Partial<RunRecord>): Promise<void> {
  const record = JSON.parse(await readFile(runRecordPath(dataDir), "utf8")) as RunRecord;
  await writeRunRecord(dataDir, { ...record, ...fields });
}
