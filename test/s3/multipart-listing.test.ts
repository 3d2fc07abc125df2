/**
 * ListParts and ListMultipartUploads against the real stack: paging with their markers,
 * prefixes and delimiters, URL encoding, and the owner, storage class and checksum fields.
 */
import { ListMultipartUploadsCommand, ListPartsCommand, type ListMultipartUploadsCommandOutput } from "@aws-sdk/client-s3";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { checksumOf } from "../helpers/crc";
import { expectErrorDocument } from "../helpers/error-document";
import { createUpload, uploadParts } from "../helpers/multipart";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;
/** key → its upload ids, in initiation order */
const uploads = new Map<string, string[]>();
const KEYS = ["a/1", "a/2", "b", "b", "c/d/e", "plus+sign ü", "b"];

beforeAll(async () => {
  bucket = await newBucket("multipart-listing");
  for (const key of KEYS) {
    uploads.set(key, [...(uploads.get(key) ?? []), await createUpload(bucket, key)]);
    await new Promise((resolve) => setTimeout(resolve, 3)); // distinct initiation times
  }
});

/** Every upload in S3's order: by key (UTF-8 bytes), then initiation. */
function allUploads(prefix = ""): Array<[string, string]> {
  return [...uploads]
    .filter(([key]) => key.startsWith(prefix))
    .sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
    .flatMap(([key, ids]) => ids.map((id): [string, string] => [key, id]));
}

describe("ListParts", () => {
  it("pages with max-parts and part-number-marker; shows owner, storage class and checksums", async () => {
    const uploadId = await createUpload(bucket, "parts", { ChecksumAlgorithm: "CRC32" });
    const bodies = ["p1", "p2", "p3", "p4", "p5"].map((b) => Buffer.from(b));
    const uploaded = await uploadParts(bucket, "parts", uploadId, bodies, { algorithm: "CRC32", numbers: [1, 2, 3, 5, 8] });
    const pages: number[][] = [];
    let marker: string | undefined;
    for (;;) {
      const page = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "parts", UploadId: uploadId, MaxParts: 2, PartNumberMarker: marker }));
      pages.push(page.Parts!.map((p) => p.PartNumber!));
      expect(page).toMatchObject({ Bucket: bucket, Key: "parts", UploadId: uploadId, MaxParts: 2, StorageClass: "STANDARD", ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE" });
      expect(page.Owner).toEqual({ ID: "owner-test", DisplayName: "test" });
      expect(page.Initiator).toEqual({ ID: "owner-test", DisplayName: "test" });
      if (!page.IsTruncated) break;
      marker = page.NextPartNumberMarker;
      expect(marker).toBe(String(page.Parts!.at(-1)!.PartNumber));
    }
    expect(pages).toEqual([[1, 2], [3, 5], [8]]);
    const all = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "parts", UploadId: uploadId }));
    expect(all.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size, p.ChecksumCRC32])).toEqual(uploaded.map((u, i) => [u.PartNumber, u.ETag, 2, checksumOf("CRC32", bodies[i]!)]));
    expect(all.Parts?.[0]?.LastModified).toBeInstanceOf(Date);
  });

  it.each([
    ["max-parts", "-1"],
    ["max-parts", "many"],
    ["part-number-marker", "x"],
  ])("%s=%s is InvalidArgument", async (name, value) => {
    const uploadId = await createUpload(bucket, "bad-params");
    const response = await signer().fetch(`${endpoint()}/${bucket}/bad-params?uploadId=${encodeURIComponent(uploadId)}&${name}=${value}`);
    await expectErrorDocument(response, 400, "InvalidArgument");
  });
});

describe("ListMultipartUploads", () => {
  it("lists every upload by key, a key's uploads in the order they began", async () => {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    const ours = listed.Uploads!.filter((u) => uploads.has(u.Key!)).map((u) => [u.Key, u.UploadId]);
    expect(ours).toEqual(allUploads());
    const first = listed.Uploads![0]!;
    expect(first.Initiated).toBeInstanceOf(Date);
    expect(first).toMatchObject({ StorageClass: "STANDARD", Owner: { ID: "owner-test" }, Initiator: { ID: "owner-test" } });
  });

  it("pages one upload at a time with key-marker and upload-id-marker, missing none", async () => {
    const seen: Array<[string, string]> = [];
    let page: ListMultipartUploadsCommandOutput | undefined;
    do {
      page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "", MaxUploads: 1, KeyMarker: page?.NextKeyMarker, UploadIdMarker: page?.NextUploadIdMarker }));
      expect(page.Uploads?.length).toBe(1);
      seen.push([page.Uploads![0]!.Key!, page.Uploads![0]!.UploadId!]);
    } while (page.IsTruncated);
    expect(seen.filter(([key]) => uploads.has(key))).toEqual(allUploads());
  });

  it("a key-marker alone starts after all of that key's uploads", async () => {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: "b" }));
    expect(listed.Uploads!.map((u) => u.Key).filter((key) => uploads.has(key!))).toEqual(["c/d/e", "plus+sign ü"]);
    const afterFirst = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, KeyMarker: "b", UploadIdMarker: uploads.get("b")![0] }));
    expect(afterFirst.Uploads!.slice(0, 2).map((u) => u.UploadId)).toEqual(uploads.get("b")!.slice(1));
  });

  it("rolls keys up into CommonPrefixes under a delimiter, counting each as one entry", async () => {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: "/" }));
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "c/"]);
    expect(listed.Uploads!.map((u) => u.Key)).not.toContain("a/1");
    const paged = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: "/", MaxUploads: 1 }));
    expect(paged).toMatchObject({ IsTruncated: true, NextKeyMarker: "a/", CommonPrefixes: [{ Prefix: "a/" }] });
    const next = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Delimiter: "/", MaxUploads: 1, KeyMarker: "a/" }));
    expect(next.Uploads?.map((u) => u.Key)).toEqual(["b"]);
  });

  it("narrows to a prefix, and under it to the next delimiter", async () => {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "c/", Delimiter: "/" }));
    expect(listed.Prefix).toBe("c/");
    expect(listed.Uploads ?? []).toEqual([]);
    expect(listed.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["c/d/"]);
    const flat = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: "a/" }));
    expect(flat.Uploads!.map((u) => u.Key)).toEqual(["a/1", "a/2"]);
  });

  it("encoding-type=url percent-encodes keys, prefixes and markers", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?uploads&encoding-type=url&prefix=plus&key-marker=p`);
    expect(response.status).toBe(200);
    const doc = new XMLParser({ parseTagValue: false }).parse(await response.text()).ListMultipartUploadsResult;
    expect(doc.EncodingType).toBe("url");
    expect(doc.Upload.Key).toBe("plus%2Bsign%20%C3%BC");
    expect(doc.Prefix).toBe("plus");
  });

  it("max-uploads that is not a number is InvalidArgument", async () => {
    await expectErrorDocument(await signer().fetch(`${endpoint()}/${bucket}?uploads&max-uploads=lots`), 400, "InvalidArgument");
  });
});
