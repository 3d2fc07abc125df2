/**
 * RestoreObject (`POST /{bucket}/{key}?restore`): a restored copy of an archived (GLACIER or
 * DEEP_ARCHIVE) version, readable once its tier's wait is over and for `Days` after that. The
 * bucket decides and times it (durable-objects/bucket/restores.ts): the wait comes from
 * MOCKS3_RESTORE_SECONDS, a day lasts MOCKS3_LIFECYCLE_DAY_SECONDS.
 *
 * 202 when a restore begins, 200 when the version is already restored (its copy lasts `Days`
 * from now), 409 RestoreAlreadyInProgress while one is under way, 403 InvalidObjectState for
 * a version that is not archived. SELECT restores are not served.
 */
import type { RestoreTier } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { readBodyText } from "../body/read-body";
import { parseXml } from "../body/xml-body";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { versionIdOf } from "../s3/version-id";

/** S3 keeps a restored copy for at most this many days. */
const MAX_DAYS = 2_147_483_647;

interface RestoreDocument {
  Days?: unknown;
  Type?: unknown;
  Tier?: unknown;
  GlacierJobParameters?: { Tier?: unknown } | string;
}

export async function restoreObject(ctx: S3Context): Promise<S3Result> {
  const { days, tier } = restoreRequestOf(await readBodyText(ctx));
  const request = { tier, days, restoreMs: ctx.config.restoreMs, dayMs: ctx.config.dayMs };
  const answer = unwrap(await bucketObject(ctx).restoreObject(ctx.caller, ctx.key, versionIdOf(ctx.target.query), request));
  const headers: Record<string, string> = answer.versioned ? { "x-amz-version-id": answer.versionId } : {};
  return { status: answer.outcome === "accepted" ? 202 : 200, headers };
}

function restoreRequestOf(text: string): { days: number; tier: RestoreTier } {
  const doc = parseXml(text, { depth: 4 });
  const request = doc?.RestoreRequest as RestoreDocument | undefined;
  if (!request || typeof request !== "object") throw new S3Error("MalformedXML");
  if (request.Type !== undefined) throw new S3Error("NotImplemented", "RestoreObject of type SELECT is not served by MockS3.");
  const daysText = request.Days;
  if (typeof daysText !== "string" || !/^\d+$/.test(daysText.trim())) throw new S3Error("MalformedXML", "RestoreRequest needs Days, a whole number of days.");
  const days = Number(daysText.trim());
  if (days < 1 || days > MAX_DAYS) throw new S3Error("InvalidArgument", "Days must be at least 1.", { ArgumentName: "Days", ArgumentValue: daysText });
  const parameters = request.GlacierJobParameters;
  const tierText = (typeof parameters === "object" ? parameters.Tier : undefined) ?? request.Tier ?? "Standard";
  if (tierText !== "Expedited" && tierText !== "Standard" && tierText !== "Bulk") {
    throw new S3Error("MalformedXML", `Tier must be Expedited, Standard or Bulk, not ${JSON.stringify(tierText)}.`);
  }
  return { days, tier: tierText };
}
