/**
 * DeleteObject and DeleteObjects. Deleting a key that does not exist succeeds, as in S3.
 * DeleteObjects takes at most 1000 keys and answers each (or, with Quiet, only errors); like
 * S3 it wants Content-MD5 or a flexible checksum over its body.
 */
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { parseXml } from "../body/xml-body";
import { requireIntegrityCheck } from "../body/integrity-check";
import { readBodyText } from "../body/read-body";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { bypassesGovernance } from "../s3/object-lock";
import { versionIdOf } from "../s3/version-id";
import { release, versionHeaders } from "./object-writes";

const MAX_KEYS_PER_DELETE = 1000;

export async function deleteObject(ctx: S3Context): Promise<S3Result> {
  const outcome = unwrap(await bucketObject(ctx).deleteObject(ctx.caller, ctx.key, versionIdOf(ctx.target.query), bypassesGovernance(ctx.request.headers)));
  release(ctx, outcome.released);
  return { status: 204, headers: versionHeaders(outcome) };
}

interface DeleteEntry {
  Key?: unknown;
  VersionId?: unknown;
}

export async function deleteObjects(ctx: S3Context): Promise<S3Result> {
  requireIntegrityCheck(ctx);
  const doc = parseXml(await readBodyText(ctx), { depth: 3, repeated: ["Delete.Object"] });
  const request = doc?.Delete as { Object?: DeleteEntry[]; Quiet?: string } | undefined;
  if (!request || typeof request !== "object") throw new S3Error("MalformedXML");
  const entries = request.Object ?? [];
  if (entries.length === 0 || entries.length > MAX_KEYS_PER_DELETE) throw new S3Error("MalformedXML");
  const targets: Array<{ key: string; versionId?: string }> = [];
  const errors: Array<{ Key: string; VersionId?: string; Code: string; Message: string }> = [];
  for (const entry of entries) {
    if (typeof entry?.Key !== "string" || entry.Key === "") {
      errors.push({ Key: "", Code: "UserKeyMustBeSpecified", Message: "The request was missing a required key." });
    } else if (typeof entry.VersionId === "string" && entry.VersionId !== "") {
      targets.push({ key: entry.Key, versionId: entry.VersionId });
    } else {
      targets.push({ key: entry.Key });
    }
  }
  const done = targets.length > 0 ? unwrap(await bucketObject(ctx).deleteObjects(ctx.caller, targets, bypassesGovernance(ctx.request.headers))) : { results: [], released: [] };
  release(ctx, done.released);
  const quiet =
    String(request.Quiet ?? "")
      .trim()
      .toLowerCase() === "true";
  for (const { key, versionId, error } of done.results) {
    // a version its Object Lock protects
    if (error) errors.push({ Key: key, ...(versionId !== undefined ? { VersionId: versionId } : {}), Code: error.error, Message: error.message ?? error.error });
  }
  const deleted = done.results
    .filter((r) => !r.error)
    .map((r) => ({
      Key: r.key,
      VersionId: r.versionId,
      DeleteMarker: r.deleteMarker ? true : undefined,
      DeleteMarkerVersionId: r.deleteMarkerVersionId,
    }));
  return { xml: ["DeleteResult", { Deleted: quiet ? [] : deleted, Error: errors }] };
}
