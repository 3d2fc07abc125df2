/**
 * What `npm start` runs, read from package.json's "start" script (`NAME=value … node <flags>
 * <entry>`), so that the tests and the benchmark run the stack with a user's Node settings
 * and cannot drift from them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

export interface StartCommand {
  /** the variables the script sets (MALLOC_ARENA_MAX) */
  env: Record<string, string>;
  /** Node's flags */
  nodeFlags: string[];
  /** the script Node runs, relative to the repository root */
  entry: string;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

export function startCommand(): StartCommand {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const words = scripts.start!.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const [name, value] = words.shift()!.split("=", 2) as [string, string];
    env[name] = value;
  }
  const entry = words.pop();
  if (words.shift() !== "node" || !entry || words.some((word) => !word.startsWith("--"))) throw new Error(`package.json's start script is not "VAR=… node --flags… entry": ${scripts.start}`);
  return { env, nodeFlags: words, entry };
}
