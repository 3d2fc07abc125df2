/**
 * Multipart checksums as S3 forms them: COMPOSITE (the checksum of the parts' checksums,
 * `-N`) and FULL_OBJECT (the CRC of every byte, combined from the parts'), each compared
 * with a value computed here from the bytes (test/helpers/crc.ts, node:zlib); the checksum
 * headers' refusals.
 */
import { crc32 } from "node:zlib";
import { CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, UploadPartCommand, type ChecksumAlgorithm, type ChecksumType } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { checksumOf, compositeOf, type TestAlgorithm } from "../helpers/crc";
import { expectErrorDocument } from "../helpers/error-document";
import { complete, createUpload, MIN_PART, uploadParts } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;
const PARTS = [pattern(MIN_PART, 11), pattern(MIN_PART, 12), pattern(54_321, 13)];
const WHOLE = Buffer.concat(PARTS);

beforeAll(async () => {
  bucket = await newBucket("multipart-checksums");
});

function partUrl(key: string, uploadId: string, partNumber: number): string {
  return `${endpoint()}/${bucket}/${key}?partNumber=${partNumber}&uploadId=${encodeURIComponent(uploadId)}`;
}

/** algorithm, the type asked for ("default": none), the type S3 gives */
const CASES: Array<[TestAlgorithm, ChecksumType | "default", ChecksumType]> = [
  ["CRC32", "default", "COMPOSITE"],
  ["CRC32C", "COMPOSITE", "COMPOSITE"],
  ["SHA1", "default", "COMPOSITE"],
  ["SHA256", "COMPOSITE", "COMPOSITE"],
  ["CRC32", "FULL_OBJECT", "FULL_OBJECT"],
  ["CRC32C", "FULL_OBJECT", "FULL_OBJECT"],
  ["CRC64NVME", "default", "FULL_OBJECT"],
];

describe("multipart checksums", () => {
  it.each(CASES)("%s, %s type › the object's checksum is S3's %s value", { timeout: 60_000 }, async (algorithm, asked, type) => {
    const key = `sum-${algorithm}-${type}`;
    const uploadId = await createUpload(bucket, key, { ChecksumAlgorithm: algorithm as ChecksumAlgorithm, ChecksumType: asked === "default" ? undefined : asked });
    const parts = await uploadParts(bucket, key, uploadId, PARTS, { algorithm: algorithm as ChecksumAlgorithm });
    const field = `Checksum${algorithm}` as const;
    for (const [i, part] of parts.entries()) expect(part[field]).toBe(checksumOf(algorithm, PARTS[i]!));

    const expected = type === "COMPOSITE" ? compositeOf(algorithm, PARTS) : checksumOf(algorithm, WHOLE);
    // the SDK leaves CRC64NVME out of CompletedPart: FULL_OBJECT needs no part checksums
    const done = await complete(
      bucket,
      key,
      uploadId,
      parts.map(({ ChecksumCRC64NVME: _, ...part }) => part),
    );
    expect(done[field]).toBe(expected);
    expect(done.ChecksumType).toBe(type);

    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    expect(head[field]).toBe(expected);
    expect(head.ChecksumType).toBe(type);
    // a FULL_OBJECT checksum is the object's own: the SDK verifies the body against it
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: "ENABLED" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(WHOLE)).toBe(true);
  });

  it("FULL_OBJECT CRC32 › equals node:zlib's CRC32 over the whole object", async () => {
    const uploadId = await createUpload(bucket, "zlib", { ChecksumAlgorithm: "CRC32", ChecksumType: "FULL_OBJECT" });
    const done = await complete(bucket, "zlib", uploadId, await uploadParts(bucket, "zlib", uploadId, PARTS, { algorithm: "CRC32" }));
    expect(Buffer.from(done.ChecksumCRC32!, "base64").readUInt32BE()).toBe(crc32(WHOLE) >>> 0);
  });

  it("CreateMultipartUpload › answers the algorithm and type; ListParts shows them and each part's checksum", async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "listed", ChecksumAlgorithm: "SHA256" }));
    expect(created.ChecksumAlgorithm).toBe("SHA256");
    expect(created.ChecksumType).toBe("COMPOSITE");
    await uploadParts(bucket, "listed", created.UploadId!, [Buffer.from("one")], { algorithm: "SHA256" });
    const listed = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "listed", UploadId: created.UploadId }));
    expect(listed.ChecksumAlgorithm).toBe("SHA256");
    expect(listed.ChecksumType).toBe("COMPOSITE");
    expect(listed.Parts?.[0]?.ChecksumSHA256).toBe(checksumOf("SHA256", Buffer.from("one")));
  });

  it.each([
    [{ "x-amz-checksum-type": "COMPOSITE" }, "can only be used with the x-amz-checksum-algorithm header"],
    [{ "x-amz-checksum-algorithm": "MD4" }, "Checksum algorithm provided is unsupported"],
    [{ "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "PARTIAL" }, "Value for x-amz-checksum-type header is invalid"],
    [{ "x-amz-checksum-algorithm": "SHA256", "x-amz-checksum-type": "FULL_OBJECT" }, "The FULL_OBJECT checksum type cannot be used with the SHA256 checksum algorithm"],
    [{ "x-amz-checksum-algorithm": "CRC64NVME", "x-amz-checksum-type": "COMPOSITE" }, "The COMPOSITE checksum type cannot be used with the CRC64NVME checksum algorithm"],
  ])("CreateMultipartUpload › %j is InvalidRequest", async (headers, message) => {
    const response = await signer().fetch(`${endpoint()}/${bucket}/refused?uploads`, { method: "POST", headers });
    const error = await expectErrorDocument(response, 400, "InvalidRequest");
    expect(error.Message).toContain(message);
  });

  it("UploadPart › a part without a checksum gets the upload's, computed; a wrong one is BadDigest", async () => {
    const uploadId = await createUpload(bucket, "computed", { ChecksumAlgorithm: "CRC32C" });
    const plain = await signer().fetch(partUrl("computed", uploadId, 1), { method: "PUT", body: "no checksum sent" });
    expect(plain.status).toBe(200);
    expect(plain.headers.get("x-amz-checksum-crc32c")).toBe(checksumOf("CRC32C", Buffer.from("no checksum sent")));
    const wrong = await signer().fetch(partUrl("computed", uploadId, 2), { method: "PUT", body: "bytes", headers: { "x-amz-checksum-crc32c": checksumOf("CRC32C", Buffer.from("other")) } });
    await expectErrorDocument(wrong, 400, "BadDigest");
  });

  it("UploadPart › a checksum of another algorithm than the upload's is InvalidRequest", async () => {
    const uploadId = await createUpload(bucket, "mismatch", { ChecksumAlgorithm: "SHA1" });
    const upload = s3.send(new UploadPartCommand({ Bucket: bucket, Key: "mismatch", UploadId: uploadId, PartNumber: 1, Body: "bytes", ChecksumAlgorithm: "CRC32" }));
    expect(await s3Error(upload)).toEqual({ code: "InvalidRequest", status: 400 });
  });

  it("CompleteMultipartUpload › COMPOSITE needs every part's checksum, and each must be the part's", async () => {
    const uploadId = await createUpload(bucket, "stated", { ChecksumAlgorithm: "CRC32" });
    const [one, two] = await uploadParts(bucket, "stated", uploadId, [pattern(MIN_PART, 1), Buffer.from("end")], { algorithm: "CRC32" });
    const { ChecksumCRC32: _, ...bare } = one!;
    const missing = await s3Error(complete(bucket, "stated", uploadId, [bare, two!]));
    expect(missing).toEqual({ code: "InvalidRequest", status: 400 });
    const swapped = await s3Error(complete(bucket, "stated", uploadId, [{ ...one!, ChecksumCRC32: two!.ChecksumCRC32 }, two!]));
    expect(swapped).toEqual({ code: "InvalidPart", status: 400 });
    expect((await complete(bucket, "stated", uploadId, [one!, two!])).ChecksumCRC32).toBe(compositeOf("CRC32", [pattern(MIN_PART, 1), Buffer.from("end")]));
  });

  it("CompleteMultipartUpload › the object checksum a client claims must match, and so must x-amz-checksum-type", async () => {
    const uploadId = await createUpload(bucket, "claimed", { ChecksumAlgorithm: "CRC32", ChecksumType: "FULL_OBJECT" });
    const parts = await uploadParts(bucket, "claimed", uploadId, [Buffer.from("whole object")], { algorithm: "CRC32" });
    const url = `${endpoint()}/${bucket}/claimed?uploadId=${encodeURIComponent(uploadId)}`;
    const body = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${parts[0]!.ETag}</ETag></Part></CompleteMultipartUpload>`;
    const post = (headers: Record<string, string>) => signer().fetch(url, { method: "POST", body, headers });
    await expectErrorDocument(await post({ "x-amz-checksum-crc32": checksumOf("CRC32", Buffer.from("something else")) }), 400, "BadDigest");
    const typeError = await expectErrorDocument(await post({ "x-amz-checksum-type": "COMPOSITE" }), 400, "InvalidRequest");
    expect(typeError.Message).toContain("created using the FULL_OBJECT checksum mode");
    const ok = await post({ "x-amz-checksum-crc32": checksumOf("CRC32", Buffer.from("whole object")), "x-amz-checksum-type": "FULL_OBJECT" });
    expect(ok.status, await ok.clone().text()).toBe(200);
    expect(await ok.text()).toContain(`<ChecksumCRC32>${checksumOf("CRC32", Buffer.from("whole object"))}</ChecksumCRC32>`);
  });
});
