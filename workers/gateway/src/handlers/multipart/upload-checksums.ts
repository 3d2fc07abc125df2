/**
 * Flexible checksums of multipart uploads, as S3 has them since 2025:
 *
 * - CreateMultipartUpload names the algorithm (`x-amz-checksum-algorithm`) and how the
 *   object's checksum is formed (`x-amz-checksum-type`): COMPOSITE — a checksum of the
 *   parts' checksums, with `-N` (CRC32, CRC32C, SHA1, SHA256; their default) — or
 *   FULL_OBJECT — the checksum of all the bytes (CRC32, CRC32C, CRC64NVME; CRC64NVME's only
 *   and default type). A type without an algorithm, or a pair S3 does not offer, is refused.
 * - Every part then carries that algorithm's checksum: verified when the part claims one,
 *   computed when it does not; a part claiming another algorithm is refused.
 * - An upload created without an algorithm takes whatever checksum a part claims (verified)
 *   and the object gets none. Unlike S3 today, MockS3 does not add a default CRC64NVME.
 */
import type { Checksum } from "../../../../../shared/records";
import { S3Error } from "../../../../../shared/s3-errors";
import type { ChecksumType, UploadTemplate } from "../../../../../shared/uploads";
import { checksumAlgorithmOf, checksumHeader } from "../../body/checksums";
import { isCrcAlgorithm } from "../../body/crc-combine";
import type { BodyExpectations } from "../../body/expectations";

export interface ChecksumMode {
  algorithm: NonNullable<UploadTemplate["checksumAlgorithm"]>;
  type: ChecksumType;
}

/** CreateMultipartUpload's `x-amz-checksum-algorithm` and `x-amz-checksum-type`. */
export function checksumModeOf(headers: Headers): ChecksumMode | undefined {
  const algorithmHeader = headers.get("x-amz-checksum-algorithm");
  const typeHeader = headers.get("x-amz-checksum-type");
  if (algorithmHeader === null) {
    if (typeHeader === null) return undefined;
    throw new S3Error("InvalidRequest", "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
  }
  const algorithm = checksumAlgorithmOf(algorithmHeader);
  if (!algorithm) {
    throw new S3Error("InvalidRequest", "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  if (typeHeader === null) return { algorithm, type: algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE" };
  const type = typeHeader.toUpperCase();
  if (type !== "COMPOSITE" && type !== "FULL_OBJECT") throw new S3Error("InvalidRequest", "Value for x-amz-checksum-type header is invalid.");
  if (type === "FULL_OBJECT" ? !isCrcAlgorithm(algorithm) : algorithm === "CRC64NVME") {
    throw new S3Error("InvalidRequest", `The ${type} checksum type cannot be used with the ${algorithm} checksum algorithm.`);
  }
  return { algorithm, type };
}

export function modeOf(template: UploadTemplate): ChecksumMode | undefined {
  const { checksumAlgorithm: algorithm, checksumType: type } = template;
  return algorithm && type ? { algorithm, type } : undefined;
}

/** The checksum a part is checked against: the upload's algorithm, claimed or computed. */
export function partChecksum(claim: BodyExpectations["checksum"], template: UploadTemplate): BodyExpectations["checksum"] {
  const algorithm = template.checksumAlgorithm;
  if (!algorithm) return claim;
  if (!claim) return { algorithm, fromTrailer: false };
  if (claim.algorithm !== algorithm) {
    throw new S3Error("InvalidRequest", `Checksum Type mismatch occurred, expected checksum Type: ${algorithm.toLowerCase()}, actual checksum Type: ${claim.algorithm.toLowerCase()}`);
  }
  return claim;
}

/** `ChecksumCRC32` and the like, as S3's XML names a checksum. */
export function checksumElements(checksum: Checksum | undefined): Record<string, string> {
  return checksum ? { [`Checksum${checksum.algorithm}`]: checksum.value } : {};
}

/** `x-amz-checksum-<algorithm>` (and the mode headers of an upload) for a response. */
export function checksumHeaders(checksum: Checksum | undefined): Record<string, string> {
  return checksum ? { [checksumHeader(checksum.algorithm)]: checksum.value } : {};
}

export function modeHeaders(mode: ChecksumMode | undefined): Record<string, string> {
  return mode ? { "x-amz-checksum-algorithm": mode.algorithm, "x-amz-checksum-type": mode.type } : {};
}
