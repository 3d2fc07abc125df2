/**
 * Object Lock's rules (durable-objects/bucket/object-locks.ts): the lock a new version gets,
 * what a lock refuses, and how a retention may change, through a retention's whole life.
 */
import { describe, expect, it } from "vitest";
import { changedLock, deleteRefusal, lockForWrite, lockSettings } from "../../durable-objects/bucket/object-locks";
import { isFailure } from "../../shared/s3-errors";

const DAY = 1000;
const enabled = lockSettings(JSON.stringify({ ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: "2" } } }));
const code = (result: unknown) => (isFailure(result) ? result.error : "ok");

describe("object locks", () => {
  it("locks › a new version gets the request's lock, else the default retention; a bucket without Object Lock refuses one", () => {
    expect(lockForWrite(undefined, enabled, 0, DAY)).toEqual({ retention: { mode: "GOVERNANCE", until: 2 * DAY } });
    expect(lockForWrite({ retention: { mode: "COMPLIANCE", until: 5 }, legalHold: true }, enabled, 0, DAY)).toEqual({ retention: { mode: "COMPLIANCE", until: 5 }, legalHold: true });
    expect(lockForWrite(undefined, lockSettings(JSON.stringify({ ObjectLockEnabled: "Enabled" })), 0, DAY)).toBeUndefined();
    expect(lockForWrite(undefined, lockSettings(undefined), 0, DAY)).toBeUndefined();
    expect(code(lockForWrite({ legalHold: true }, lockSettings(undefined), 0, DAY))).toBe("InvalidRequest");
  });

  it("locks › deletes: a legal hold always refuses, COMPLIANCE until its time, GOVERNANCE unless bypassed", () => {
    expect(code(deleteRefusal({ legalHold: true }, 0, true))).toBe("AccessDenied");
    expect(code(deleteRefusal({ retention: { mode: "COMPLIANCE", until: 10 } }, 9, true))).toBe("AccessDenied");
    expect(deleteRefusal({ retention: { mode: "COMPLIANCE", until: 10 } }, 10, false)).toBeUndefined();
    expect(code(deleteRefusal({ retention: { mode: "GOVERNANCE", until: 10 } }, 0, false))).toBe("AccessDenied");
    expect(deleteRefusal({ retention: { mode: "GOVERNANCE", until: 10 } }, 0, true)).toBeUndefined();
    expect(deleteRefusal(undefined, 0, false)).toBeUndefined();
  });

  it("locks › a retention is lengthened freely, shortened or removed only from GOVERNANCE with the bypass, and never weakened from COMPLIANCE", () => {
    const compliance = { retention: { mode: "COMPLIANCE" as const, until: 10 } };
    expect(code(changedLock(enabled, compliance, { retention: { mode: "COMPLIANCE", until: 5 } }, 0, true))).toBe("AccessDenied");
    expect(code(changedLock(enabled, compliance, { retention: { mode: "GOVERNANCE", until: 20 } }, 0, true))).toBe("AccessDenied");
    expect(changedLock(enabled, compliance, { retention: { mode: "COMPLIANCE", until: 20 } }, 0, false)).toEqual({ retention: { mode: "COMPLIANCE", until: 20 } });
    expect(changedLock(enabled, compliance, { retention: null }, 11, false)).toBeUndefined(); // expired: anything goes
    const governance = { retention: { mode: "GOVERNANCE" as const, until: 10 } };
    expect(code(changedLock(enabled, governance, { retention: null }, 0, false))).toBe("AccessDenied");
    expect(changedLock(enabled, governance, { retention: null }, 0, true)).toBeUndefined();
    expect(changedLock(enabled, governance, { legalHold: true }, 0, false)).toEqual({ ...governance, legalHold: true });
    expect(code(changedLock(lockSettings(undefined), undefined, { legalHold: true }, 0, false))).toBe("InvalidRequest");
  });
});
