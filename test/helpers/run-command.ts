/**
 * A command run as a user would from the repository root (`npm run status`, `make help`):
 * its exit code and output, whatever the code, with a time limit (SIGKILL after it) so that
 * none outlives its test. Variables set to undefined are removed from the environment, e.g.
 * `{ MOCKS3_PORT: undefined }` for a tool that must find the stack without it.
 */
import { execFile } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCommand(command: string, args: string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<CommandResult> {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete merged[name];
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, env: merged, timeout: timeoutMs, killSignal: "SIGKILL" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") reject(new Error(`${command} ${args.join(" ")}: ${error.message}\n${stderr}`));
      else resolve({ code: typeof error?.code === "number" ? error.code : 0, stdout, stderr });
    });
  });
}

/** `npm run --silent <script> -- <args>`: the tool's own output, without npm's banner. */
export function npmRun(script: string, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  return runCommand("npm", ["run", "--silent", script, "--", ...args], env);
}
