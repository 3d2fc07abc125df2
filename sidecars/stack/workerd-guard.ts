/**
 * workerd is Miniflare's child. When the stack's Node process is killed with SIGKILL, nothing
 * of Node runs to stop it, and it would live on, re-parented to init, holding the ports and
 * the SQLite files. On Linux the kernel can end it instead: Miniflare starts whatever
 * MINIFLARE_WORKERD_PATH names, here a script that runs workerd under `setpriv --pdeathsig
 * KILL` (util-linux), so workerd gets SIGKILL the moment its parent dies. Where setpriv is
 * missing, workerd is started directly, and the next start clears what a dead run left
 * (leftovers.ts).
 */
import { accessSync, constants } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** two levels below the root both in the source tree and in .build/node */
const GUARD = path.resolve(import.meta.dirname, "../..", "sidecars/stack/workerd-guard.sh");
const SETPRIV = ["/usr/bin/setpriv", "/bin/setpriv"];

/** Makes Miniflare start workerd under the guard, when this system can; whether it will. */
export function guardWorkerd(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== "linux" || env.MINIFLARE_WORKERD_PATH || !SETPRIV.some(executable) || !executable(GUARD)) return false;
  env.MOCKS3_WORKERD_BINARY = miniflaresWorkerd();
  env.MINIFLARE_WORKERD_PATH = GUARD;
  return true;
}

/** `command` with `args`, run so that it gets `signal` when this process dies, however it dies, where this system can (setpriv). */
export function withParentDeathSignal(signal: NodeJS.Signals, command: string, args: string[]): [string, string[]] {
  const setpriv = process.platform === "linux" ? SETPRIV.find(executable) : undefined;
  return setpriv ? [setpriv, ["--pdeathsig", signal, "--", command, ...args]] : [command, args];
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The workerd binary Miniflare would start itself (the `workerd` package it depends on). */
function miniflaresWorkerd(): string {
  const fromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
  return (fromMiniflare("workerd") as { default: string }).default;
}
