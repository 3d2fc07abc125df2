/**
 * Writes a file whole or not at all: under a temporary name beside it, then renamed into
 * place, so that a reader — another stack starting side by side, a restart after a crash —
 * never sees half of it. Plain JavaScript, with its types in write-atomically.d.mts, because
 * `npm start`'s bootstrap (stack/start.mjs) runs before any TypeScript is compiled.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export async function writeAtomically(file, contents) {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}
