/**
 * The latest versions of recently read keys, with their inline bytes, in the bucket object's
 * memory: a GET of a small object that was read before costs a map look-up instead of a
 * SQLite query and a copy of its row (most of the bucket object's work per 4 KiB GET in a
 * profile). The object is the only writer of its rows, so the cache is exact as long as every
 * change to a key drops it first (version-rows.ts does, before it writes); it is filled only
 * by reads outside a write, so a write that fails and rolls back leaves nothing behind.
 * Bounded by entries and by bytes, the least recently read going first.
 */
import type { ObjectRecord } from "../../shared/records";

type Latest = ObjectRecord & { deleteMarker: boolean };

const MAX_ENTRIES = 4096;
const MAX_BYTES = 8 * 1024 * 1024;
/** a row's size beside its bytes, roughly */
const ENTRY_BYTES = 512;

export class LatestCache {
  private readonly entries = new Map<string, Latest>();
  private bytes = 0;

  get(key: string): Latest | undefined {
    const found = this.entries.get(key);
    if (found) {
      // most recently read last
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, latest: Latest): void {
    this.drop(key);
    const size = sizeOf(latest);
    if (size > MAX_BYTES / 4) return;
    this.entries.set(key, latest);
    this.bytes += size;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES && this.bytes <= MAX_BYTES) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(entry);
    }
  }

  drop(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(entry);
  }
}

function sizeOf(latest: Latest): number {
  return ENTRY_BYTES + (latest.data?.byteLength ?? 0);
}
