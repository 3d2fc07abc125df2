/**
 * Server-side encryption on the S3 side: `x-amz-server-side-encryption` (with its KMS key id
 * and bucket key) on writes, checked as S3 checks it, and the headers every write and read
 * answers with — SSE-S3 (AES256) for an object recorded with none, as on S3 since 2023. The
 * bucket applies its default encryption to a write that names none
 * (durable-objects/bucket/encryption.ts). The bytes are stored as they are, except SSE-C's
 * (customer-key.ts), which are stored encrypted with the client's key.
 */
import { SSE_ALGORITHMS, type ServerSideEncryption, type SseAlgorithm } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";

const ALGORITHM = "x-amz-server-side-encryption";
const KMS_KEY = "x-amz-server-side-encryption-aws-kms-key-id";
const BUCKET_KEY = "x-amz-server-side-encryption-bucket-key-enabled";
const CUSTOMER_ALGORITHM = "x-amz-server-side-encryption-customer-algorithm";
const CUSTOMER_KEY_MD5 = "x-amz-server-side-encryption-customer-key-MD5";

/** The encryption a write asks for; undefined when it names none (the bucket's default applies). */
export function encryptionFromHeaders(headers: Headers): ServerSideEncryption | undefined {
  const algorithm = headers.get(ALGORITHM);
  const kmsKeyId = headers.get(KMS_KEY);
  const bucketKey = headers.get(BUCKET_KEY);
  if (algorithm === null) {
    if (kmsKeyId !== null) throw new S3Error("InvalidArgument", "Server Side Encryption with KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", { ArgumentName: KMS_KEY });
    return undefined;
  }
  if (!SSE_ALGORITHMS.includes(algorithm as SseAlgorithm))
    throw new S3Error("InvalidArgument", "The encryption method specified is not supported", { ArgumentName: ALGORITHM, ArgumentValue: algorithm });
  if (kmsKeyId !== null && algorithm === "AES256")
    throw new S3Error("InvalidArgument", "Server Side Encryption with KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms", { ArgumentName: KMS_KEY });
  const encryption: ServerSideEncryption = { algorithm: algorithm as SseAlgorithm };
  if (kmsKeyId) encryption.kmsKeyId = kmsKeyId;
  if (bucketKey?.toLowerCase() === "true") encryption.bucketKeyEnabled = true;
  return encryption;
}

/** What a write or read answers: AES256 for an object recorded with none; SSE-C's own two headers. */
export function encryptionHeaders(encryption: ServerSideEncryption | undefined): Record<string, string> {
  if (encryption?.customer) return { [CUSTOMER_ALGORITHM]: "AES256", [CUSTOMER_KEY_MD5]: encryption.customer.keyMd5 };
  const headers: Record<string, string> = { [ALGORITHM]: encryption?.algorithm ?? "AES256" };
  if (encryption?.kmsKeyId) headers[KMS_KEY] = encryption.kmsKeyId;
  if (encryption?.bucketKeyEnabled) headers[BUCKET_KEY] = "true";
  return headers;
}
