/**
 * Ballast: real bytes on the filesystem that holds the stored objects, for disk_full. Each
 * anomaly writes one file in `<dataDir>/anomaly-ballast/<anomaly id>/`, in chunks of
 * CHUNK_BYTES of random data (never fallocate or a sparse file, and nothing a compressing
 * filesystem could shrink), each chunk flushed to the disk (fsync) before the next, so that
 * the space is really taken when the measurement says so.
 */
import { randomFillSync } from "node:crypto";
import { mkdir, open, rm, statfs, type FileHandle } from "node:fs/promises";
import path from "node:path";

export const BALLAST_DIR = "anomaly-ballast";
export const CHUNK_BYTES = 8 * 1024 * 1024;

export function ballastRoot(dataDir: string): string {
  return path.join(dataDir, BALLAST_DIR);
}

export interface DiskUsage {
  usedBytes: number;
  /** what an unprivileged process may still write */
  availableBytes: number;
  /** used / (used + available), as `df` shows it */
  percent: number;
}

export async function diskUsage(dir: string): Promise<DiskUsage> {
  const fs = await statfs(dir);
  const usedBytes = (fs.blocks - fs.bfree) * fs.bsize;
  const availableBytes = fs.bavail * fs.bsize;
  return { usedBytes, availableBytes, percent: (usedBytes / (usedBytes + availableBytes)) * 100 };
}

/** Bytes to add to the filesystem's use to reach `percent` (negative when it is past it). */
export function bytesToPercent(usage: DiskUsage, percent: number): number {
  return Math.ceil((percent / 100) * (usage.usedBytes + usage.availableBytes) - usage.usedBytes);
}

export class Ballast {
  /** bytes written so far */
  written = 0;
  private chunk: Buffer | undefined;

  private constructor(
    readonly dir: string,
    private readonly file: FileHandle,
  ) {}

  static async create(dataDir: string, anomalyId: string): Promise<Ballast> {
    const dir = path.join(ballastRoot(dataDir), anomalyId.replace(/[^A-Za-z0-9._-]/g, "_"));
    await mkdir(dir, { recursive: true });
    return new Ballast(dir, await open(path.join(dir, "ballast.bin"), "w"));
  }

  /** Writes `bytes` (at most CHUNK_BYTES) more, and flushes them to the disk. */
  async add(bytes: number): Promise<void> {
    this.chunk ??= randomFillSync(Buffer.allocUnsafe(CHUNK_BYTES));
    const length = Math.min(bytes, CHUNK_BYTES);
    await this.file.write(this.chunk, 0, length);
    await this.file.sync();
    this.written += length;
  }

  /** Bytes the ballast takes on the disk (its allocated blocks, as `du` counts them). */
  async onDisk(): Promise<number> {
    return (await this.file.stat()).blocks * 512;
  }

  async remove(): Promise<void> {
    await this.file.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
    this.chunk = undefined;
  }
}
