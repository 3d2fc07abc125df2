/**
 * What this disk does for a plain copy of the same bytes, measured in the same run as the
 * multipart case it is compared with: a file of the pattern is written and synced (not
 * timed), then copied with fs.copyFile and the copy fsync'ed (timed) — the bytes read once
 * and written durably once, as an upload to a store on this disk must at the least.
 */
import { open, copyFile, rm } from "node:fs/promises";
import path from "node:path";
import { BLOCK_SIZE, patternBlock } from "./pattern-bytes";

export interface FileCopyResult {
  bytes: number;
  seconds: number;
  mbPerSecond: number;
}

export async function measureFileCopy(directory: string, bytes: number): Promise<FileCopyResult> {
  const source = path.join(directory, "copy-source.bin");
  const target = path.join(directory, "copy-target.bin");
  try {
    await writeSynced(source, bytes);
    const started = performance.now();
    await copyFile(source, target);
    const copy = await open(target, "r+");
    try {
      await copy.sync();
    } finally {
      await copy.close();
    }
    const seconds = (performance.now() - started) / 1000;
    return { bytes, seconds, mbPerSecond: bytes / seconds / 1e6 };
  } finally {
    await rm(source, { force: true });
    await rm(target, { force: true });
  }
}

async function writeSynced(file: string, bytes: number): Promise<void> {
  const handle = await open(file, "w");
  try {
    for (let offset = 0, i = 0; offset < bytes; offset += BLOCK_SIZE, i++) await handle.write(patternBlock(i, Math.min(BLOCK_SIZE, bytes - offset)));
    await handle.sync();
  } finally {
    await handle.close();
  }
}
