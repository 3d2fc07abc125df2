/**
 * Replication: a role and rules, each with a status and a destination bucket ARN; S3 wants
 * versioning enabled on the bucket first. Stored and read back; nothing is replicated.
 */
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { childOf, type ConfigKind, listOf, oneOf, textOf } from "./config-kind";

export const replication: ConfigKind = {
  subresource: "replication",
  get: "GetBucketReplication",
  put: "PutBucketReplication",
  delete: "DeleteBucketReplication",
  root: "ReplicationConfiguration",
  schema: { depth: 6, repeated: ["ReplicationConfiguration.Rule", "ReplicationConfiguration.Rule.Filter.And.Tag"] },
  check(document, { versioning }) {
    if (versioning !== "Enabled") throw new S3Error("InvalidRequest", "Versioning must be 'Enabled' on the bucket to apply a replication configuration");
    if (!textOf(document, "Role")) throw new S3Error("MalformedXML");
    const rules = listOf(document, "Rule");
    if (rules.length === 0 || rules.length > 1000) throw new S3Error("MalformedXML");
    for (const rule of rules) {
      oneOf(textOf(rule, "Status"), ["Enabled", "Disabled"]);
      const destination = textOf(childOf(rule, "Destination") ?? {}, "Bucket");
      if (!destination?.startsWith("arn:aws:s3:::")) throw new S3Error("InvalidArgument", "Invalid bucket ARN.");
    }
    return { Role: textOf(document, "Role"), Rule: rules as XmlElement[] };
  },
  unconfigured: "ReplicationConfigurationNotFoundError",
};
