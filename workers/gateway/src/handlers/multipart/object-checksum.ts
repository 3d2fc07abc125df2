/**
 * What a completed multipart object's ETag and checksum are, from its parts alone — no byte
 * is read again:
 *
 * - ETag: the MD5 of the parts' binary MD5s, concatenated, then `-N` (N parts).
 * - COMPOSITE checksum: the algorithm over the parts' raw checksums, concatenated, then `-N`.
 * - FULL_OBJECT checksum: the CRC of the whole object, combined from the parts' CRCs and
 *   sizes (body/crc-combine.ts).
 */
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";
import type { Checksum } from "../../../../../shared/records";
import { S3Error } from "../../../../../shared/s3-errors";
import type { PartRecord } from "../../../../../shared/uploads";
import { CHECKSUM_BYTES, fromBase64, newDigest, toBase64 } from "../../body/checksums";
import { combineCrcs, isCrcAlgorithm } from "../../body/crc-combine";
import { unquote } from "../../s3/conditions";
import type { ChecksumMode } from "./upload-checksums";

export function multipartEtag(parts: PartRecord[]): string {
  const md5 = createHash("md5");
  for (const part of parts) md5.update(Buffer.from(unquote(part.etag), "hex"));
  return `"${md5.digest("hex")}-${parts.length}"`;
}

export async function objectChecksum(mode: ChecksumMode, parts: PartRecord[]): Promise<Checksum> {
  const { algorithm, type } = mode;
  const digests = parts.map((part) => {
    const bytes = part.checksum?.algorithm === algorithm ? fromBase64(part.checksum.value, CHECKSUM_BYTES[algorithm]) : undefined;
    if (!bytes) throw new S3Error("InvalidPart", `Part ${part.partNumber} has no ${algorithm} checksum.`);
    return bytes;
  });
  if (type === "FULL_OBJECT" && isCrcAlgorithm(algorithm)) {
    const crc = combineCrcs(
      algorithm,
      digests.map((crc, i) => ({ crc, size: parts[i]!.size })),
    );
    return { algorithm, value: toBase64(crc), type };
  }
  const digest = newDigest(algorithm);
  for (const bytes of digests) digest.update(bytes);
  return { algorithm, value: `${toBase64(await digest.digest())}-${parts.length}`, type: "COMPOSITE" };
}
