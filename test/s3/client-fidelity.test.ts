/**
 * Small divergences from S3 that real clients trip over, each pinned to what S3 does:
 * Suspended versioning on a new bucket, an empty continuation-token, exactly which list fields
 * `encoding-type=url` encodes (botocore decodes those and no others), Content-Encoding kept
 * as sent, empty tag values from `x-amz-tagging`.
 */
import {
  CopyObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { boto3Json } from "../helpers/boto3";
import { complete, createUpload, uploadParts } from "../helpers/multipart";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";

const s3 = s3Client();
const parser = new XMLParser({ parseTagValue: false, trimValues: false });
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("fidelity");
  for (const key of ["\nnewline/a", "\nnewline/b", "a b/c", "plain"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: "x" }));
});

async function listXml(query: string): Promise<Record<string, unknown>> {
  const response = await signer().fetch(`${endpoint()}/${bucket}?${query}`);
  const text = await response.text();
  expect(response.status, text).toBe(200);
  return parser.parse(text).ListBucketResult as Record<string, unknown>;
}

describe("versioning", () => {
  it("PutBucketVersioning › Suspended on a bucket never versioned makes GetBucketVersioning answer Suspended; writes stay null versions", async () => {
    const fresh = await newBucket("fidelity-suspended");
    await s3.send(new PutBucketVersioningCommand({ Bucket: fresh, VersioningConfiguration: { Status: "Suspended" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: fresh }))).Status).toBe("Suspended");
    await s3.send(new PutObjectCommand({ Bucket: fresh, Key: "k", Body: "one" }));
    const put = await s3.send(new PutObjectCommand({ Bucket: fresh, Key: "k", Body: "two" }));
    expect(put.VersionId).toBe("null");
    const got = await s3.send(new GetObjectCommand({ Bucket: fresh, Key: "k" }));
    expect(await got.Body!.transformToString()).toBe("two");
  });
});

describe("listings", () => {
  it("ListObjectsV2 › an empty continuation-token is no token: the first page", async () => {
    const doc = await listXml("list-type=2&continuation-token=&max-keys=2");
    expect(doc.KeyCount).toBe("2");
    expect(doc.ContinuationToken).toBeUndefined();
    const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2 }));
    expect((doc.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(first.Contents!.map((c) => c.Key));
  });

  it("ListObjects › with encoding-type=url, Marker, NextMarker, Delimiter, keys and prefixes are encoded; Prefix is not", async () => {
    const doc = await listXml(`encoding-type=url&prefix=${encodeURIComponent("\n")}&delimiter=${encodeURIComponent("\n")}&marker=${encodeURIComponent("\n ")}`);
    expect(doc.Prefix).toBe("\n");
    expect(doc.Marker).toBe("%0A%20");
    expect(doc.Delimiter).toBe("%0A");
    expect((doc.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(["%0Anewline/a", "%0Anewline/b"]);
    const paged = await listXml(`encoding-type=url&delimiter=/&marker=${encodeURIComponent("\n ")}&max-keys=1`);
    expect(paged.CommonPrefixes).toEqual({ Prefix: "%0Anewline/" });
    expect(paged.NextMarker).toBe("%0Anewline/");
  });

  it("ListObjectsV2 › with encoding-type=url, Prefix and StartAfter are encoded too", async () => {
    const doc = await listXml(`list-type=2&encoding-type=url&prefix=${encodeURIComponent("\n")}&start-after=${encodeURIComponent("\n ")}`);
    expect(doc.Prefix).toBe("%0A");
    expect(doc.StartAfter).toBe("%0A%20");
    expect((doc.Contents as Array<{ Key: string }>).map((c) => c.Key)).toEqual(["%0Anewline/a", "%0Anewline/b"]);
  });

  it("ListObjects › boto3 (which asks for encoding-type=url and decodes what S3 encodes) round-trips a prefix of \\n with V1 and V2", { timeout: 30_000 }, async () => {
    const lines = [
      `v1 = s3.list_objects(Bucket=args, Prefix="\\n", Delimiter="/")`,
      `v2 = s3.list_objects_v2(Bucket=args, Prefix="\\n", StartAfter="\\n")`,
      "print(json.dumps({'v1': [v1['Prefix'], [p['Prefix'] for p in v1.get('CommonPrefixes', [])]], 'v2': [v2['Prefix'], v2['StartAfter'], [c['Key'] for c in v2.get('Contents', [])]]}))",
    ];
    expect(await boto3Json(lines, { args: bucket })).toEqual({ v1: ["\n", ["\nnewline/"]], v2: ["\n", "\n", ["\nnewline/a", "\nnewline/b"]] });
  });
});

describe("stored headers", () => {
  it("PutObject › Content-Encoding is kept as sent (`deflate, gzip` with its space), less an aws-chunked member", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "encoded", Body: "x", ContentEncoding: "deflate, gzip" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "encoded" }))).ContentEncoding).toBe("deflate, gzip");
    // the SDK frames the body as aws-chunked and adds that member itself
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "chunked", Body: "x", ContentEncoding: "br,  identity", ChecksumAlgorithm: "CRC32" }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "chunked" }))).ContentEncoding).toBe("br,  identity");
    const raw = await signer().fetch(`${endpoint()}/${bucket}/only-chunked`, { method: "PUT", body: "x", headers: { "content-encoding": "aws-chunked" } });
    expect(raw.status).toBe(200);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "only-chunked" }))).ContentEncoding).toBeUndefined();
  });

  it("PutObject › x-amz-tagging with an empty value (a=&b=c) stores the empty value, as do CreateMultipartUpload and CopyObject", async () => {
    const expected = [
      { Key: "a", Value: "" },
      { Key: "b", Value: "c" },
    ];
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "tagged", Body: "x", Tagging: "a=&b=c" }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged" }))).TagSet).toEqual(expected);
    const uploadId = await createUpload(bucket, "tagged-mp", { Tagging: "a=&b=c" });
    await complete(bucket, "tagged-mp", uploadId, await uploadParts(bucket, "tagged-mp", uploadId, [new Uint8Array(10)]));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged-mp" }))).TagSet).toEqual(expected);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "tagged-copy", CopySource: `${bucket}/plain`, TaggingDirective: "REPLACE", Tagging: "a=&b=c" }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "tagged-copy" }))).TagSet).toEqual(expected);
  });
});
