/**
 * Processes a test run left behind: those that still carry the run's marker in their
 * environment (every process a test starts inherits it from the run's global setup: stacks,
 * workerd, sidecars, CLI clients), apart from vitest's own. The global teardown ends them and
 * fails the run naming them (test/global-setup.ts).
 */
import { readdirSync, readFileSync } from "node:fs";

export interface Leftover {
  pid: number;
  command: string;
}

/** Living processes whose environment holds `NAME=value`, other than this one and vitest's workers. */
export function processesMarked(name: string, value: string): Leftover[] {
  const marker = `${name}=${value}`;
  const found: Leftover[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim();
      // vitest's forks end on their own once the run is over
      if (/vitest|tinypool/.test(command) || command === "") continue;
      found.push({ pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}
