/**
 * The Object Lock configuration: enabled, with an optional default retention (a mode and
 * days or years). S3 takes it on a bucket with versioning enabled. The bucket applies the
 * default retention to new versions and enforces every version's lock
 * (durable-objects/bucket/object-locks.ts).
 */
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { childOf, type ConfigKind, oneOf, positiveOf, textOf } from "./config-kind";

export const objectLock: ConfigKind = {
  subresource: "object-lock",
  get: "GetObjectLockConfiguration",
  put: "PutObjectLockConfiguration",
  root: "ObjectLockConfiguration",
  schema: { depth: 4 },
  check(document, { versioning }) {
    if (versioning !== "Enabled") throw new S3Error("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    oneOf(textOf(document, "ObjectLockEnabled"), ["Enabled"]);
    const rule = childOf(document, "Rule");
    if (rule) {
      const retention = childOf(rule, "DefaultRetention");
      if (!retention) throw new S3Error("MalformedXML");
      oneOf(textOf(retention, "Mode"), ["GOVERNANCE", "COMPLIANCE"]);
      const days = positiveOf(retention, "Days", "DefaultRetention");
      const years = positiveOf(retention, "Years", "DefaultRetention");
      if ((days === undefined) === (years === undefined)) throw new S3Error("MalformedXML");
    }
    return document as XmlElement;
  },
  unconfigured: "ObjectLockConfigurationNotFoundError",
};
