/**
 * Get/PutObjectRetention (`?retention`) and Get/PutObjectLegalHold (`?legal-hold`) of a
 * version (the latest by default). What a lock allows is the bucket's to decide
 * (durable-objects/bucket/object-locks.ts): a COMPLIANCE retention is never shortened, a
 * GOVERNANCE one only with `x-amz-bypass-governance-retention: true`, and a bucket without
 * Object Lock refuses both with InvalidRequest.
 */
import { type LockChange, NULL_VERSION } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { readBodyText } from "../body/read-body";
import { parseXml } from "../body/xml-body";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { bypassesGovernance, retentionOf } from "../s3/object-lock";
import { versionIdOf } from "../s3/version-id";

const NO_LOCK = "The specified object does not have a ObjectLock configuration";

export async function getObjectRetention(ctx: S3Context): Promise<S3Result> {
  const retention = (await versionOf(ctx)).lock?.retention;
  if (!retention) throw new S3Error("NoSuchObjectLockConfiguration", NO_LOCK);
  return { xml: ["Retention", { Mode: retention.mode, RetainUntilDate: new Date(retention.until).toISOString() }] };
}

export async function getObjectLegalHold(ctx: S3Context): Promise<S3Result> {
  const lock = (await versionOf(ctx)).lock;
  if (!lock) throw new S3Error("NoSuchObjectLockConfiguration", NO_LOCK);
  return { xml: ["LegalHold", { Status: lock.legalHold ? "ON" : "OFF" }] };
}

export async function putObjectRetention(ctx: S3Context): Promise<S3Result> {
  const doc = parseXml(await readBodyText(ctx), { depth: 2 });
  const retention = doc?.Retention;
  if (retention === undefined || (retention !== "" && typeof retention !== "object")) throw new S3Error("MalformedXML");
  const { Mode, RetainUntilDate } = (retention === "" ? {} : retention) as { Mode?: unknown; RetainUntilDate?: unknown };
  if ((Mode === undefined) !== (RetainUntilDate === undefined) || (Mode !== undefined && (typeof Mode !== "string" || typeof RetainUntilDate !== "string"))) {
    throw new S3Error("MalformedXML");
  }
  const next = Mode === undefined ? null : retentionOf(Mode as string, RetainUntilDate as string);
  return setLock(ctx, { retention: next });
}

export async function putObjectLegalHold(ctx: S3Context): Promise<S3Result> {
  const doc = parseXml(await readBodyText(ctx), { depth: 2 });
  const status = (doc?.LegalHold as { Status?: unknown } | undefined)?.Status;
  if (status !== "ON" && status !== "OFF") throw new S3Error("MalformedXML");
  return setLock(ctx, { legalHold: status === "ON" });
}

async function versionOf(ctx: S3Context) {
  return unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId: versionIdOf(ctx.target.query) }));
}

async function setLock(ctx: S3Context, change: LockChange): Promise<S3Result> {
  const { versionId } = unwrap(await bucketObject(ctx).setObjectLock(ctx.caller, ctx.key, versionIdOf(ctx.target.query), change, bypassesGovernance(ctx.request.headers)));
  return { headers: versionId === NULL_VERSION ? {} : { "x-amz-version-id": versionId } };
}
