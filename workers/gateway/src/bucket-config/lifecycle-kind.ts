/**
 * Lifecycle rules, checked as S3 checks them: at most 1,000 rules, unique IDs of at most 255
 * characters, a status, a filter (or the legacy prefix), and at least one action with valid
 * days or a midnight-UTC date; transitions to a colder class than STANDARD. The bucket carries
 * the expiry and transition actions out (durable-objects/bucket/lifecycle.ts).
 */
import { TRANSITION_CLASSES } from "../../../../shared/storage-classes";
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import type { XmlRecord } from "../body/xml-body";
import { childOf, type ConfigKind, listOf, oneOf, positiveOf, textOf } from "./config-kind";

const MAX_RULES = 1000;
const ACTIONS = ["Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Transition", "NoncurrentVersionTransition"];
const MIDNIGHT_UTC = /^\d{4}-\d{2}-\d{2}T00:00:00(\.000)?Z$/;

export const lifecycle: ConfigKind = {
  subresource: "lifecycle",
  get: "GetBucketLifecycleConfiguration",
  put: "PutBucketLifecycleConfiguration",
  delete: "DeleteBucketLifecycle",
  root: "LifecycleConfiguration",
  schema: {
    depth: 6,
    repeated: ["LifecycleConfiguration.Rule", "LifecycleConfiguration.Rule.Transition", "LifecycleConfiguration.Rule.NoncurrentVersionTransition", "LifecycleConfiguration.Rule.Filter.And.Tag"],
  },
  check(document) {
    const rules = listOf(document, "Rule");
    if (rules.length === 0) throw new S3Error("MalformedXML");
    if (rules.length > MAX_RULES) throw new S3Error("InvalidRequest", "Configuration cannot contain more than 1000 rules");
    const ids = new Set<string>();
    for (const rule of rules) {
      const id = textOf(rule, "ID");
      if (id !== undefined) {
        if (id.length > 255) throw new S3Error("InvalidArgument", "ID length should not exceed allowed limit of 255");
        if (ids.has(id)) throw new S3Error("InvalidArgument", "Rule ID must be unique. Found same ID for more than one rule");
        ids.add(id);
      }
      oneOf(textOf(rule, "Status"), ["Enabled", "Disabled"]);
      if (rule.Filter === undefined && rule.Prefix === undefined) throw new S3Error("MalformedXML");
      if (!ACTIONS.some((action) => rule[action] !== undefined)) throw new S3Error("InvalidRequest", "At least one action needs to be specified in a rule");
      const expiration = childOf(rule, "Expiration");
      if (expiration) {
        positiveOf(expiration, "Days", "Expiration action");
        const date = textOf(expiration, "Date");
        if (date !== undefined && !MIDNIGHT_UTC.test(date)) throw new S3Error("InvalidArgument", "'Date' must be at midnight GMT");
        const marker = textOf(expiration, "ExpiredObjectDeleteMarker");
        if ([expiration.Days, expiration.Date, marker].filter((v) => v !== undefined).length !== 1) throw new S3Error("MalformedXML");
      }
      const noncurrent = childOf(rule, "NoncurrentVersionExpiration");
      if (noncurrent) positiveOf(noncurrent, "NoncurrentDays", "NoncurrentVersionExpiration action");
      const abort = childOf(rule, "AbortIncompleteMultipartUpload");
      if (abort && positiveOf(abort, "DaysAfterInitiation", "AbortIncompleteMultipartUpload action") === undefined) throw new S3Error("MalformedXML");
      for (const transition of [...listOf(rule, "Transition"), ...listOf(rule, "NoncurrentVersionTransition")]) checkTransition(transition);
    }
    return { Rule: rules as XmlElement[] };
  },
  unconfigured: "NoSuchLifecycleConfiguration",
  integrity: true,
};

/** A colder class than STANDARD, and days (0 or more) or a midnight-UTC date. */
function checkTransition(transition: XmlRecord): void {
  oneOf(textOf(transition, "StorageClass"), TRANSITION_CLASSES);
  const days = textOf(transition, "Days") ?? textOf(transition, "NoncurrentDays");
  const date = textOf(transition, "Date");
  if ((days === undefined) === (date === undefined)) throw new S3Error("MalformedXML");
  if (days !== undefined && !/^\d+$/.test(days)) throw new S3Error("InvalidArgument", "'Days' in Transition action must be a nonnegative integer");
  if (date !== undefined && !MIDNIGHT_UTC.test(date)) throw new S3Error("InvalidArgument", "'Date' must be at midnight GMT");
}
