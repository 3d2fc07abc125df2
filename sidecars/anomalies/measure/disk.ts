/** Space on the filesystem that holds a directory (the stack's data directory). */
import { statfs } from "node:fs/promises";

export interface DiskSpace {
  totalBytes: number;
  /** what an unprivileged writer may still take (f_bavail) */
  freeBytes: number;
  usedBytes: number;
  usedPercent: number;
}

export async function diskSpace(dir: string): Promise<DiskSpace> {
  const s = await statfs(dir);
  const totalBytes = s.blocks * s.bsize;
  const freeBytes = s.bavail * s.bsize;
  const usedBytes = (s.blocks - s.bfree) * s.bsize;
  // as df computes Use%: used over what users can have (used + available)
  const usedPercent = usedBytes + freeBytes > 0 ? (100 * usedBytes) / (usedBytes + freeBytes) : 0;
  return { totalBytes, freeBytes, usedBytes, usedPercent };
}
