/** Bucket tags: at most 50, each checked as S3 checks object tags (s3/tags.ts). */
import type { TagSet } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import { validateTags } from "../s3/tags";
import { childOf, type ConfigKind, listOf, textOf } from "./config-kind";

const MAX_BUCKET_TAGS = 50;

export const tagging: ConfigKind = {
  subresource: "tagging",
  get: "GetBucketTagging",
  put: "PutBucketTagging",
  delete: "DeleteBucketTagging",
  root: "Tagging",
  schema: { depth: 4, repeated: ["Tagging.TagSet.Tag"] },
  check(document) {
    if (document.TagSet === undefined) throw new S3Error("MalformedXML");
    const tags: TagSet = listOf(childOf(document, "TagSet") ?? {}, "Tag").map((tag) => {
      const key = textOf(tag, "Key");
      const value = textOf(tag, "Value");
      if (key === undefined || value === undefined) throw new S3Error("MalformedXML");
      return { key, value };
    });
    if (tags.length > MAX_BUCKET_TAGS) throw new S3Error("InvalidTag", "Bucket tag count cannot be greater than 50");
    validateTags(tags, MAX_BUCKET_TAGS);
    return { TagSet: { Tag: tags.map(({ key, value }) => ({ Key: key, Value: value })) } };
  },
  unconfigured: "NoSuchTagSet",
  putStatus: 204,
  integrity: true,
};
