/**
 * RestoreObject's state machine (durable-objects/bucket/restores.ts) and when an archived
 * version reads (shared/storage-classes.ts), across the whole life of a restore: begun, in
 * progress, readable, extended, expired and begun again.
 */
import { describe, expect, it } from "vitest";
import { nextRestore, type RestoreRequest } from "../../durable-objects/bucket/restores";
import type { ObjectRecord, RestoreState } from "../../shared/records";
import { isFailure } from "../../shared/s3-errors";
import { readable } from "../../shared/storage-classes";

const DAY = 1000;
const request: RestoreRequest = { tier: "Standard", days: 2, restoreMs: 500, dayMs: DAY };
const version = (fields: Partial<ObjectRecord>): ObjectRecord => ({ key: "k", versionId: "null", size: 1, etag: '"e"', lastModified: 0, blobs: [], userMetadata: {}, tags: [], ...fields });

describe("restores", () => {
  it("restore › an archived version reads only from readyAt until expiresAt, then may be restored again", () => {
    const glacier = version({ storageClass: "GLACIER" });
    expect(readable(glacier, 0)).toBe(false);
    const begun = nextRestore(glacier, request, 10_000) as RestoreState;
    expect(begun).toEqual({ tier: "Standard", days: 2, requestedAt: 10_000, readyAt: 10_500, expiresAt: 12_500 });
    const restored = { ...glacier, restore: begun };
    expect([10_499, 10_500, 12_499, 12_500].map((now) => readable(restored, now))).toEqual([false, true, true, false]);
    expect(nextRestore(restored, request, 10_200)).toEqual({ error: "RestoreAlreadyInProgress" });
    expect(nextRestore(restored, { ...request, days: 5 }, 11_000)).toEqual({ ...begun, days: 5, expiresAt: 16_000 });
    const again = nextRestore(restored, request, 13_000) as RestoreState;
    expect(again.requestedAt).toBe(13_000);
    expect(again.readyAt).toBe(13_500);
  });

  it("restore › versions that are not archived always read, and refuse a restore", () => {
    for (const storageClass of [undefined, "STANDARD_IA", "GLACIER_IR"] as const) {
      const plain = version(storageClass ? { storageClass } : {});
      expect(readable(plain, 0)).toBe(true);
      const refused = nextRestore(plain, request, 0);
      expect(isFailure(refused) && refused.error).toBe("InvalidObjectState");
    }
  });
});
