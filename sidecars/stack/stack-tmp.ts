/**
 * The stack's temporary files (Miniflare's working folder, whatever its libraries put in "the"
 * temporary directory) live under its data directory, in `tmp`, which every start empties
 * (after leftovers.ts has made sure no live run holds the directory). Miniflare removes its
 * folder on a clean exit only; a stack killed with SIGKILL used to leave `/tmp/miniflare-*`
 * behind for good.
 */
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";

export async function useStackTmp(dataDir: string): Promise<void> {
  const dir = path.join(dataDir, "tmp");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  // read by os.tmpdir() from now on, in this process and the ones it starts
  process.env.TMPDIR = dir;
}
