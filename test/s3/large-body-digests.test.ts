/**
 * Bodies of 1 MiB and more, whose MD5, SHA-256 and CRC32 the front door computes as they
 * pass (shared/front-door-protocol.ts): every claim is still checked as S3 checks it, a
 * failed one stores nothing, and a client cannot hand the gateway digests of its own.
 */
import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { bodyBytes, objectPathUrl, pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";
import { md5Hex } from "../helpers/sigv4-by-hand";

const s3 = s3Client();
const SIZE = 2 * 1024 * 1024 + 17;
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("large-digests");
});

const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const md5Base64 = (bytes: Uint8Array) => createHash("md5").update(bytes).digest("base64");
function crc32Base64(bytes: Uint8Array): string {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(bytes));
  return out.toString("base64");
}

async function expectNothingStored(key: string): Promise<void> {
  expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })))).status).toBe(404);
}

describe("large bodies' digests", () => {
  it("large body › a signed SHA-256, Content-MD5 and CRC32 that match are accepted, and the ETag and checksum are the body's", async () => {
    const body = pattern(SIZE, 31);
    const headers = { "content-md5": md5Base64(body), "x-amz-checksum-crc32": crc32Base64(body), "x-amz-content-sha256": sha256Hex(body) };
    const response = await signer().fetch(objectPathUrl(bucket, "all-claims"), { method: "PUT", body, headers });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${md5Hex(body)}"`);
    expect(response.headers.get("x-amz-checksum-crc32")).toBe(crc32Base64(body));
    expect(md5Hex((await bodyBytes(bucket, "all-claims")).bytes)).toBe(md5Hex(body));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "all-claims", ChecksumMode: "ENABLED" }));
    expect(head.ChecksumCRC32).toBe(crc32Base64(body));
  });

  it("large body › a wrong Content-MD5 is BadDigest and stores nothing", async () => {
    const body = pattern(SIZE, 32);
    const response = await signer().fetch(objectPathUrl(bucket, "bad-md5"), { method: "PUT", body, headers: { "content-md5": md5Base64(pattern(16, 1)) } });
    const error = await expectErrorDocument(response, 400, "BadDigest");
    expect(error.CalculatedDigest).toBe(md5Base64(body));
    await expectNothingStored("bad-md5");
  });

  it("large body › bytes that differ from their signed SHA-256 are XAmzContentSHA256Mismatch and store nothing", async () => {
    const signedBody = pattern(SIZE, 33);
    const sentBody = pattern(SIZE, 34);
    const signed = await signer().sign(objectPathUrl(bucket, "tampered"), { method: "PUT", body: signedBody, headers: { "x-amz-content-sha256": sha256Hex(signedBody) } });
    const response = await fetch(signed.url, { method: "PUT", headers: signed.headers, body: sentBody });
    const error = await expectErrorDocument(response, 400, "XAmzContentSHA256Mismatch");
    expect(error.ClientComputedContentSHA256).toBe(sha256Hex(signedBody));
    expect(error.S3ComputedContentSHA256).toBe(sha256Hex(sentBody));
    await expectNothingStored("tampered");
  });

  it("large body › a wrong x-amz-checksum-crc32 is BadDigest and stores nothing", async () => {
    const body = pattern(SIZE, 35);
    const response = await signer().fetch(objectPathUrl(bucket, "bad-crc"), { method: "PUT", body, headers: { "x-amz-checksum-crc32": crc32Base64(pattern(8, 2)) } });
    await expectErrorDocument(response, 400, "BadDigest");
    await expectNothingStored("bad-crc");
  });

  it("large body › a checksum algorithm named without a value, and one the front door does not compute, are computed by the gateway", async () => {
    const body = pattern(SIZE, 36);
    const named = await signer().fetch(objectPathUrl(bucket, "named-crc"), { method: "PUT", body, headers: { "x-amz-sdk-checksum-algorithm": "CRC32" } });
    expect(named.status).toBe(200);
    expect(named.headers.get("x-amz-checksum-crc32")).toBe(crc32Base64(body));
    const sha1 = createHash("sha1").update(body).digest("base64");
    const other = await signer().fetch(objectPathUrl(bucket, "sha1"), { method: "PUT", body, headers: { "x-amz-checksum-sha1": sha1 } });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).toBe(`"${md5Hex(body)}"`);
  });

  it("large body › digests a client claims to have from the front door are dropped: the ETag is still the body's", async () => {
    const body = pattern(SIZE, 37);
    const signed = await signer().sign(objectPathUrl(bucket, "forged"), { method: "PUT", body, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
    const headers = new Headers(signed.headers);
    headers.set("x-mocks3-body-digest", "0-1"); // unsigned, as the front door's own headers are
    const response = await fetch(signed.url, { method: "PUT", headers, body });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toBe(`"${md5Hex(body)}"`);
  });

  it("large body › UploadPart's ETags and the multipart ETag are the parts' MD5s", async () => {
    const parts = [pattern(5 * 1024 * 1024, 38), pattern(1024 * 1024 + 5, 39)];
    const create = await signer().fetch(objectPathUrl(bucket, "parts", "?uploads"), { method: "POST" });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await create.text())![1]!;
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const query = `?partNumber=${i + 1}&uploadId=${encodeURIComponent(uploadId)}`;
      const response = await signer().fetch(objectPathUrl(bucket, "parts", query), { method: "PUT", body: part, headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
      expect(response.headers.get("etag")).toBe(`"${md5Hex(part)}"`);
      etags.push(response.headers.get("etag")!);
    }
    const document = `<CompleteMultipartUpload>${etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${etag}</ETag></Part>`).join("")}</CompleteMultipartUpload>`;
    const complete = await signer().fetch(objectPathUrl(bucket, "parts", `?uploadId=${encodeURIComponent(uploadId)}`), { method: "POST", body: document });
    const combined = createHash("md5")
      .update(Buffer.concat(parts.map((part) => createHash("md5").update(part).digest())))
      .digest("hex");
    expect(await complete.text()).toContain(`<ETag>&quot;${combined}-2&quot;</ETag>`);
    expect(md5Hex((await bodyBytes(bucket, "parts")).bytes)).toBe(md5Hex(Buffer.concat(parts)));
  });
});
