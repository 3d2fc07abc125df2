/**
 * What a version's storage class means for reading it: GLACIER and DEEP_ARCHIVE objects are
 * archived, their bytes readable only while a restored copy lasts (RestoreObject); every
 * other class reads at once (GLACIER_IR included).
 */
import type { ObjectRecord, StorageClass } from "./records";

export const ARCHIVED_CLASSES: ReadonlySet<StorageClass> = new Set(["GLACIER", "DEEP_ARCHIVE"]);

/** Every class, warmest to coldest: a lifecycle transition only ever moves a version down this list. */
export const CLASS_ORDER: readonly StorageClass[] = ["STANDARD", "INTELLIGENT_TIERING", "STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

/** The classes a lifecycle rule may move versions to. */
export const TRANSITION_CLASSES: readonly StorageClass[] = CLASS_ORDER.slice(1);

/** Whether `to` is colder than `from` (absent: STANDARD). */
export function isColder(to: StorageClass, from: StorageClass | undefined): boolean {
  return CLASS_ORDER.indexOf(to) > CLASS_ORDER.indexOf(from ?? "STANDARD");
}

export function isArchived(version: Pick<ObjectRecord, "storageClass">): boolean {
  return ARCHIVED_CLASSES.has(version.storageClass ?? "STANDARD");
}

/** Whether a version's bytes can be read at `now`: not archived, or restored and not yet expired. */
export function readable(version: Pick<ObjectRecord, "storageClass" | "restore">, now: number): boolean {
  if (!isArchived(version)) return true;
  const restore = version.restore;
  return restore !== undefined && restore.readyAt <= now && now < restore.expiresAt;
}
