/** Get/Put/DeleteObjectTagging. */
import { NULL_VERSION, type TagSet } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { parseXml } from "../body/xml-body";
import { readBodyText } from "../body/read-body";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { validateTags } from "../s3/tags";
import { versionIdOf } from "../s3/version-id";

export async function getObjectTagging(ctx: S3Context): Promise<S3Result> {
  const record = unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId: versionIdOf(ctx.target.query) }));
  return {
    headers: record.versioned ? { "x-amz-version-id": record.versionId } : {},
    xml: ["Tagging", { TagSet: { Tag: record.tags.map(({ key, value }) => ({ Key: key, Value: value })) } }],
  };
}

export async function putObjectTagging(ctx: S3Context): Promise<S3Result> {
  const doc = parseXml(await readBodyText(ctx), { depth: 4, repeated: ["Tagging.TagSet.Tag"] });
  const tagging = doc?.Tagging as { TagSet?: { Tag?: Array<{ Key?: unknown; Value?: unknown }> } | string } | undefined;
  if (!tagging || typeof tagging !== "object" || tagging.TagSet === undefined) throw new S3Error("MalformedXML");
  const entries = typeof tagging.TagSet === "object" ? (tagging.TagSet.Tag ?? []) : [];
  // S3's schema requires both Key and Value in every Tag (an empty <Value/> is an empty value)
  const tags: TagSet = entries.map((t) => {
    if (typeof t?.Key !== "string" || typeof t.Value !== "string") throw new S3Error("MalformedXML");
    return { key: t.Key, value: t.Value };
  });
  return setTags(ctx, validateTags(tags), 200);
}

export function deleteObjectTagging(ctx: S3Context): Promise<S3Result> {
  return setTags(ctx, [], 204);
}

async function setTags(ctx: S3Context, tags: TagSet, status: number): Promise<S3Result> {
  const { versionId } = unwrap(await bucketObject(ctx).setTags(ctx.caller, ctx.key, versionIdOf(ctx.target.query), tags));
  return { status, headers: versionId === NULL_VERSION ? {} : { "x-amz-version-id": versionId } };
}
