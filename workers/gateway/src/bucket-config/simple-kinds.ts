/**
 * The small bucket settings, each a single choice or a few flags: transfer acceleration,
 * request payment, object ownership, the public access block, default encryption and server
 * access logging. Stored and read back with S3's checks and defaults. The bucket carries out
 * default encryption (durable-objects/bucket/encryption.ts), the ownership setting and the
 * public access block (bucket-access.ts, acls.ts); acceleration, request payment and logging
 * are stored only, as the README's compatibility table says.
 */
import { SSE_ALGORITHMS } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import type { XmlRecord } from "../body/xml-body";
import { booleanOf, childOf, type ConfigKind, listOf, oneOf, textOf } from "./config-kind";

export const accelerate: ConfigKind = {
  subresource: "accelerate",
  get: "GetBucketAccelerateConfiguration",
  put: "PutBucketAccelerateConfiguration",
  root: "AccelerateConfiguration",
  schema: { depth: 2 },
  check(document, { bucket }) {
    // S3: acceleration needs a DNS-compliant name without dots
    if (bucket.includes(".")) throw new S3Error("InvalidRequest", "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
    return { Status: oneOf(textOf(document, "Status"), ["Enabled", "Suspended"]) };
  },
  unconfigured: {},
};

export const requestPayment: ConfigKind = {
  subresource: "requestPayment",
  get: "GetBucketRequestPayment",
  put: "PutBucketRequestPayment",
  root: "RequestPaymentConfiguration",
  schema: { depth: 2 },
  check: (document) => ({ Payer: oneOf(textOf(document, "Payer"), ["Requester", "BucketOwner"]) }),
  unconfigured: { Payer: "BucketOwner" },
};

export const OWNERSHIP = ["BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced"] as const;

export const ownershipControls: ConfigKind = {
  subresource: "ownershipControls",
  get: "GetBucketOwnershipControls",
  put: "PutBucketOwnershipControls",
  delete: "DeleteBucketOwnershipControls",
  root: "OwnershipControls",
  schema: { depth: 3, repeated: ["OwnershipControls.Rule"] },
  check(document) {
    const rules = listOf(document, "Rule");
    if (rules.length !== 1) throw new S3Error("MalformedXML");
    return { Rule: { ObjectOwnership: oneOf(textOf(rules[0]!, "ObjectOwnership"), OWNERSHIP) } };
  },
  unconfigured: "OwnershipControlsNotFoundError",
  initial: { Rule: { ObjectOwnership: "BucketOwnerEnforced" } },
};

const BLOCKS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export const publicAccessBlock: ConfigKind = {
  subresource: "publicAccessBlock",
  get: "GetPublicAccessBlock",
  put: "PutPublicAccessBlock",
  delete: "DeletePublicAccessBlock",
  root: "PublicAccessBlockConfiguration",
  schema: { depth: 2 },
  check: (document) => Object.fromEntries(BLOCKS.map((name) => [name, booleanOf(document, name)])),
  unconfigured: "NoSuchPublicAccessBlockConfiguration",
  initial: Object.fromEntries(BLOCKS.map((name) => [name, true])),
};

/** Since January 2023 every bucket encrypts with SSE-S3 by default, and says so. */
const DEFAULT_ENCRYPTION: XmlElement = { Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false } };

export const encryption: ConfigKind = {
  subresource: "encryption",
  get: "GetBucketEncryption",
  put: "PutBucketEncryption",
  delete: "DeleteBucketEncryption",
  root: "ServerSideEncryptionConfiguration",
  schema: { depth: 4, repeated: ["ServerSideEncryptionConfiguration.Rule"] },
  check(document) {
    const rules = listOf(document, "Rule");
    if (rules.length !== 1) throw new S3Error("MalformedXML");
    const by = childOf(rules[0]!, "ApplyServerSideEncryptionByDefault");
    if (!by) throw new S3Error("MalformedXML");
    const algorithm = oneOf(textOf(by, "SSEAlgorithm"), SSE_ALGORITHMS)!;
    const key = textOf(by, "KMSMasterKeyID");
    if (key !== undefined && algorithm === "AES256") throw new S3Error("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse");
    return { Rule: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: algorithm, KMSMasterKeyID: key }, BucketKeyEnabled: booleanOf(rules[0]!, "BucketKeyEnabled") } };
  },
  unconfigured: DEFAULT_ENCRYPTION,
};

export const logging: ConfigKind = {
  subresource: "logging",
  get: "GetBucketLogging",
  put: "PutBucketLogging",
  root: "BucketLoggingStatus",
  schema: { depth: 5, repeated: ["BucketLoggingStatus.LoggingEnabled.TargetGrants.Grant"] },
  async check(document, context) {
    const enabled = childOf(document, "LoggingEnabled");
    if (!enabled) return {};
    const target = textOf(enabled, "TargetBucket");
    if (!target) throw new S3Error("MalformedXML");
    if (!(await context.ownsBucket(target))) throw new S3Error("InvalidTargetBucketForLogging", "The target bucket for logging does not exist", { TargetBucket: target });
    return { LoggingEnabled: { ...(enabled as XmlRecord), TargetPrefix: textOf(enabled, "TargetPrefix") ?? "" } as XmlElement };
  },
  unconfigured: {},
};
