/**
 * Object tags, from `x-amz-tagging` (a URL query string) or a Tagging document, checked
 * against S3's limits: at most 10 tags, keys of 1–128 and values of 0–256 characters, no
 * repeated key, nothing under the reserved `aws:` prefix.
 */
import type { TagSet } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";

const MAX_TAGS = 10;

export function tagsFromHeader(value: string | null): TagSet {
  if (value === null) return [];
  return validateTags([...new URLSearchParams(value)].map(([key, tagValue]) => ({ key, value: tagValue })));
}

/** `most`: 10 for an object's tags; a bucket may have 50 (bucket-config/tagging-kind.ts). */
export function validateTags(tags: TagSet, most = MAX_TAGS): TagSet {
  if (tags.length > most) throw new S3Error("InvalidTag", `Object tags cannot be greater than ${most}`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if ([...key].length < 1 || [...key].length > 128) throw new S3Error("InvalidTag", "The TagKey you have provided is invalid");
    if ([...value].length > 256) throw new S3Error("InvalidTag", "The TagValue you have provided is invalid");
    if (key.toLowerCase().startsWith("aws:")) throw new S3Error("InvalidTag", "System tags cannot be added/updated by requester");
    if (seen.has(key)) throw new S3Error("InvalidTag", "Cannot provide multiple Tags with the same key");
    seen.add(key);
  }
  return tags;
}
