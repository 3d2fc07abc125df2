/**
 * The body of CompleteMultipartUpload:
 *
 *   <CompleteMultipartUpload>
 *     <Part><PartNumber>1</PartNumber><ETag>"…"</ETag><ChecksumCRC32>…</ChecksumCRC32></Part> …
 *   </CompleteMultipartUpload>
 *
 * Anything else — not XML, another root, no Part, a part without a number or an ETag — is
 * MalformedXML; part numbers not strictly ascending are InvalidPartOrder, as in S3.
 */
import type { ChecksumAlgorithm } from "../../../../../shared/records";
import { S3Error } from "../../../../../shared/s3-errors";
import { parseXml } from "../../body/xml-body";
import { CHECKSUM_ALGORITHMS } from "../../body/checksums";

export interface RequestedPart {
  partNumber: number;
  etag: string;
  /** the part checksums the request states, by algorithm */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export function parseCompleteRequest(text: string): RequestedPart[] {
  const root = parseXml(text, { depth: 3, repeated: ["CompleteMultipartUpload.Part"] })?.CompleteMultipartUpload as { Part?: unknown } | undefined;
  const entries = root && typeof root === "object" ? root.Part : undefined;
  if (!Array.isArray(entries) || entries.length === 0) throw new S3Error("MalformedXML");
  const parts = entries.map(requestedPart);
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.partNumber <= parts[i - 1]!.partNumber) throw new S3Error("InvalidPartOrder");
  }
  return parts;
}

function requestedPart(entry: unknown): RequestedPart {
  const e = (entry ?? {}) as Record<string, unknown>;
  const number = typeof e.PartNumber === "string" ? e.PartNumber.trim() : "";
  if (!/^\d{1,9}$/.test(number) || typeof e.ETag !== "string") throw new S3Error("MalformedXML");
  const checksums: RequestedPart["checksums"] = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = e[`Checksum${algorithm}`];
    if (typeof value === "string") checksums[algorithm] = value.trim();
  }
  return { partNumber: Number(number), etag: e.ETag.trim(), checksums };
}
