/**
 * Server-side encryption as the bucket records it: a write's own `x-amz-server-side-encryption`
 * (checked by the gateway), else the bucket's default encryption configuration, else SSE-S3
 * (AES256), which S3 applies to every object since 2023. Plain SSE-S3 is recorded as nothing.
 * SSE-C (a customer key, checked and applied by the gateway) always wins over the default.
 */
import type { ServerSideEncryption, SseAlgorithm } from "../../shared/records";

interface StoredConfiguration {
  Rule?: { ApplyServerSideEncryptionByDefault?: { SSEAlgorithm?: SseAlgorithm; KMSMasterKeyID?: string }; BucketKeyEnabled?: boolean | string };
}

export function encryptionForWrite(requested: ServerSideEncryption | undefined, bucketDefault: ServerSideEncryption | undefined): ServerSideEncryption | undefined {
  const chosen = requested ?? bucketDefault;
  return chosen && (chosen.algorithm !== "AES256" || chosen.bucketKeyEnabled || chosen.customer) ? chosen : undefined;
}

/** The bucket's default encryption, from its stored configuration. */
export function defaultEncryption(stored: string | null | undefined): ServerSideEncryption | undefined {
  if (!stored) return undefined;
  const rule = (JSON.parse(stored) as StoredConfiguration).Rule;
  const by = rule?.ApplyServerSideEncryptionByDefault;
  if (!by?.SSEAlgorithm) return undefined;
  const encryption: ServerSideEncryption = { algorithm: by.SSEAlgorithm };
  if (by.KMSMasterKeyID) encryption.kmsKeyId = by.KMSMasterKeyID;
  if (rule?.BucketKeyEnabled === true || rule?.BucketKeyEnabled === "true") encryption.bucketKeyEnabled = true;
  return encryption;
}
