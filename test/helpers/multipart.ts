/**
 * Multipart uploads as the tests drive them through the SDK's low-level calls, and what S3
 * says their results must be — computed here from the bytes, never taken from the server.
 */
import { createHash } from "node:crypto";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  type ChecksumAlgorithm,
  type CompletedPart,
  type CreateMultipartUploadCommandInput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { s3Client } from "./s3";

export const MIB = 1024 * 1024;
/** S3's smallest part but the last. */
export const MIN_PART = 5 * MIB;

/** S3's multipart ETag: the MD5 of the parts' binary MD5s, then `-N`. */
export function multipartEtag(parts: Uint8Array[]): string {
  const md5 = createHash("md5");
  for (const part of parts) md5.update(createHash("md5").update(part).digest());
  return `"${md5.digest("hex")}-${parts.length}"`;
}

export async function createUpload(bucket: string, key: string, extra: Partial<CreateMultipartUploadCommandInput> = {}, s3 = s3Client()): Promise<string> {
  const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...extra }));
  return created.UploadId!;
}

/** Uploads `parts` as parts 1…N (or the numbers given) and returns what Complete needs. */
export async function uploadParts(
  bucket: string,
  key: string,
  uploadId: string,
  parts: Uint8Array[],
  options: { algorithm?: ChecksumAlgorithm; numbers?: number[]; s3?: S3Client } = {},
): Promise<CompletedPart[]> {
  const s3 = options.s3 ?? s3Client();
  const done: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const PartNumber = options.numbers?.[i] ?? i + 1;
    const out = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body, ChecksumAlgorithm: options.algorithm }));
    const { ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256 } = out;
    done.push(withoutUndefined({ PartNumber, ETag: out.ETag, ChecksumCRC32, ChecksumCRC32C, ChecksumCRC64NVME, ChecksumSHA1, ChecksumSHA256 }));
  }
  return done;
}

export function complete(bucket: string, key: string, uploadId: string, parts: CompletedPart[], s3 = s3Client()) {
  return s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
}

/** A whole upload: create, parts, complete. */
export async function multipartObject(bucket: string, key: string, parts: Uint8Array[], extra: Partial<CreateMultipartUploadCommandInput> = {}) {
  const uploadId = await createUpload(bucket, key, extra);
  const done = await uploadParts(bucket, key, uploadId, parts, { algorithm: extra.ChecksumAlgorithm });
  return complete(bucket, key, uploadId, done);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
