/**
 * A command-line S3 client run by a test (rclone, restic): its own time limit, well inside
 * the test's (SIGKILL after it), and stopped by the file's abort signal, so that none outlives
 * its test. Answers its stdout and stderr together.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);
const COMMAND_TIMEOUT_MS = 120_000;

export interface ClientOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
}

export async function runClient(command: string, args: string[], { env, cwd, signal }: ClientOptions): Promise<string> {
  const { stdout, stderr } = await run(command, args, { env, cwd, signal, timeout: COMMAND_TIMEOUT_MS, killSignal: "SIGKILL", maxBuffer: 16 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}
