/**
 * Object Lock through the JS SDK: retention (COMPLIANCE, GOVERNANCE and its bypass) and legal
 * holds stored, answered and enforced on permanent deletes of versions; a bucket's default
 * retention; the refusals of a bucket without Object Lock.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectLegalHoldCommand,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer, uniqueBucketName } from "../helpers/s3";

const s3 = s3Client();
const DAY = 86_400_000;
let locked: string;

beforeAll(async () => {
  locked = uniqueBucketName("object-lock");
  await s3.send(new CreateBucketCommand({ Bucket: locked, ObjectLockEnabledForBucket: true }));
});

const inDays = (days: number) => new Date(Date.now() + days * DAY);

async function put(key: string, extra: Partial<ConstructorParameters<typeof PutObjectCommand>[0]> = {}) {
  return s3.send(new PutObjectCommand({ Bucket: locked, Key: key, Body: "locked bytes", ...extra }));
}

describe("object lock", () => {
  it("retention › a COMPLIANCE version is answered with its lock, refuses a permanent delete and a shorter retention; a delete marker is still allowed", async () => {
    const until = inDays(2);
    const { VersionId } = await put("compliance", { ObjectLockMode: "COMPLIANCE", ObjectLockRetainUntilDate: until });
    const head = await s3.send(new HeadObjectCommand({ Bucket: locked, Key: "compliance" }));
    expect(head.ObjectLockMode).toBe("COMPLIANCE");
    expect(head.ObjectLockRetainUntilDate?.toISOString()).toBe(until.toISOString());
    expect(await s3Error(s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "compliance", VersionId, BypassGovernanceRetention: true })))).toEqual({ code: "AccessDenied", status: 403 });
    const retention = await s3.send(new GetObjectRetentionCommand({ Bucket: locked, Key: "compliance", VersionId }));
    expect(retention.Retention).toEqual({ Mode: "COMPLIANCE", RetainUntilDate: until });
    const shorter = s3.send(new PutObjectRetentionCommand({ Bucket: locked, Key: "compliance", VersionId, Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(1) } }));
    expect(await s3Error(shorter)).toEqual({ code: "AccessDenied", status: 403 });
    await s3.send(new PutObjectRetentionCommand({ Bucket: locked, Key: "compliance", VersionId, Retention: { Mode: "COMPLIANCE", RetainUntilDate: inDays(3) } }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "compliance" }));
    expect(marker.DeleteMarker).toBe(true);
    const deleteObjects = await s3.send(new DeleteObjectsCommand({ Bucket: locked, Delete: { Objects: [{ Key: "compliance", VersionId }] } }));
    expect(deleteObjects.Errors?.map((e) => [e.Key, e.VersionId, e.Code])).toEqual([["compliance", VersionId, "AccessDenied"]]);
    expect((await s3.send(new HeadObjectCommand({ Bucket: locked, Key: "compliance", VersionId }))).ObjectLockMode).toBe("COMPLIANCE");
  });

  it("retention › a GOVERNANCE version is deleted only with x-amz-bypass-governance-retention", async () => {
    const { VersionId } = await put("governance", { ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(1) });
    expect((await s3Error(s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "governance", VersionId })))).code).toBe("AccessDenied");
    await s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "governance", VersionId, BypassGovernanceRetention: true }));
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: locked, Key: "governance", VersionId })))).status).toBe(404);
  });

  it("legal hold › ON refuses a permanent delete whatever the retention, OFF allows it", async () => {
    const { VersionId } = await put("held");
    await expect(s3.send(new GetObjectLegalHoldCommand({ Bucket: locked, Key: "held", VersionId }))).rejects.toThrow();
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: locked, Key: "held", VersionId, LegalHold: { Status: "ON" } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket: locked, Key: "held", VersionId }))).LegalHold?.Status).toBe("ON");
    expect((await s3.send(new HeadObjectCommand({ Bucket: locked, Key: "held", VersionId }))).ObjectLockLegalHoldStatus).toBe("ON");
    expect((await s3Error(s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "held", VersionId, BypassGovernanceRetention: true })))).code).toBe("AccessDenied");
    await s3.send(new PutObjectLegalHoldCommand({ Bucket: locked, Key: "held", VersionId, LegalHold: { Status: "OFF" } }));
    await s3.send(new DeleteObjectCommand({ Bucket: locked, Key: "held", VersionId }));
  });

  it("default retention › a new version gets the bucket's default; versioning cannot be suspended", async () => {
    await s3.send(
      new PutObjectLockConfigurationCommand({
        Bucket: locked,
        ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1 } } },
      }),
    );
    await put("defaulted");
    const head = await s3.send(new HeadObjectCommand({ Bucket: locked, Key: "defaulted" }));
    expect(head.ObjectLockMode).toBe("GOVERNANCE");
    expect(Math.abs(head.ObjectLockRetainUntilDate!.getTime() - Date.now() - DAY)).toBeLessThan(60_000);
    const suspend = s3.send(new PutBucketVersioningCommand({ Bucket: locked, VersioningConfiguration: { Status: "Suspended" } }));
    expect(await s3Error(suspend)).toEqual({ code: "InvalidBucketState", status: 409 });
  });

  it("refusals › a bucket without Object Lock, lock headers without an integrity check, a date in the past", async () => {
    const plain = await newBucket("no-lock");
    const onPlain = s3.send(new PutObjectCommand({ Bucket: plain, Key: "k", Body: "x", ObjectLockMode: "GOVERNANCE", ObjectLockRetainUntilDate: inDays(1) }));
    expect(await s3Error(onPlain)).toEqual({ code: "InvalidRequest", status: 400 });
    await s3.send(new PutObjectCommand({ Bucket: plain, Key: "k", Body: "x" }));
    expect(await s3Error(s3.send(new PutObjectLegalHoldCommand({ Bucket: plain, Key: "k", LegalHold: { Status: "ON" } })))).toEqual({ code: "InvalidRequest", status: 400 });
    const headers = { "x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": inDays(1).toISOString() };
    await expectErrorDocument(await signer().fetch(objectPathUrl(locked, "unchecked"), { method: "PUT", body: "x", headers }), 400, "InvalidRequest");
    const past = { ...headers, "x-amz-object-lock-retain-until-date": inDays(-1).toISOString(), "content-md5": "ndTkYSaMgDT1yFZOFVxnpg==" };
    await expectErrorDocument(await signer().fetch(objectPathUrl(locked, "past"), { method: "PUT", body: "x", headers: past }), 400, "InvalidArgument");
    await s3.send(new PutBucketVersioningCommand({ Bucket: plain, VersioningConfiguration: { Status: "Suspended" } }));
  });
});
