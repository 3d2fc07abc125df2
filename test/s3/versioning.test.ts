/** Versioning against the real stack: versions, delete markers, the null version, by-id access. */
import {
  CopyObjectCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { pattern } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer, endpoint } from "../helpers/s3";

const s3 = s3Client();

async function text(bucket: string, key: string, versionId?: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  return out.Body!.transformToString();
}

async function versioned(prefix: string, status: "Enabled" | "Suspended" = "Enabled"): Promise<string> {
  const bucket = await newBucket(prefix);
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: status } }));
  return bucket;
}

describe("PutBucketVersioning", () => {
  it("PutBucketVersioning › a new bucket is unversioned, then Enabled, then Suspended", async () => {
    const bucket = await newBucket("ver-state");
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Enabled");
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe("Suspended");
  });

  it("PutBucketVersioning › an unknown status is IllegalVersioningConfigurationException", async () => {
    const bucket = await newBucket("ver-bad");
    const body = '<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Status>Sometimes</Status></VersioningConfiguration>';
    const response = await signer().fetch(`${endpoint()}/${bucket}?versioning`, { method: "PUT", body });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>IllegalVersioningConfigurationException</Code>");
  });
});

describe("versions", () => {
  let bucket: string;
  const ids: string[] = [];

  beforeAll(async () => {
    bucket = await versioned("ver-history");
    for (const body of ["one", "two", "three"]) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "doc.txt", Body: body }));
      ids.push(put.VersionId!);
    }
  });

  it("PutObject › each write in an enabled bucket makes a version with its own id", async () => {
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await text(bucket, "doc.txt")).toBe("three");
    expect(await text(bucket, "doc.txt", ids[0])).toBe("one");
    expect(await text(bucket, "doc.txt", ids[1])).toBe("two");
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "doc.txt" }));
    expect(head.VersionId).toBe(ids[2]);
  });

  it("GetObject › an unknown version is NoSuchVersion, a malformed one InvalidArgument", async () => {
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: "0".repeat(32) })))).toEqual({ code: "NoSuchVersion", status: 404 });
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "doc.txt", VersionId: "not a version" })))).code).toBe("InvalidArgument");
  });

  it("ListObjectVersions › lists every version newest first, the latest marked", async () => {
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "doc" }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([...ids].reverse());
    expect(listed.Versions?.map((v) => v.IsLatest)).toEqual([true, false, false]);
    expect(listed.Versions?.[2]?.Size).toBe(3);
  });

  it("GetObjectTagging › tags one version, leaving the others", async () => {
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "doc.txt", VersionId: ids[0], Tagging: { TagSet: [{ Key: "era", Value: "first" }] } }));
    const first = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "doc.txt", VersionId: ids[0] }));
    expect(first.TagSet).toEqual([{ Key: "era", Value: "first" }]);
    expect(first.VersionId).toBe(ids[0]);
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "doc.txt" }))).TagSet).toEqual([]);
  });

  it("CopyObject › copies a given version and names it in x-amz-copy-source-version-id", async () => {
    const copy = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "restored.txt", CopySource: `${bucket}/doc.txt?versionId=${ids[0]}` }));
    expect(copy.CopySourceVersionId).toBe(ids[0]);
    expect(copy.VersionId).toMatch(/^[0-9a-f]{32}$/);
    expect(await text(bucket, "restored.txt")).toBe("one");
  });

  it("versions › multi-MiB versions each keep their own bytes", async () => {
    const first = pattern(3 * 1024 * 1024 + 7, 1);
    const second = pattern(3 * 1024 * 1024 + 7, 2);
    const a = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: first }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "big.bin", Body: second }));
    const old = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big.bin", VersionId: a.VersionId }));
    expect(Buffer.from(await old.Body!.transformToByteArray()).equals(Buffer.from(first))).toBe(true);
  });
});

describe("delete markers", () => {
  let bucket: string;
  let first: string;

  beforeAll(async () => {
    bucket = await versioned("ver-marker");
    first = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "gone.txt", Body: "still here" }))).VersionId!;
  });

  it("DeleteObject › without a version id adds a delete marker that hides the key", async () => {
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "gone.txt" }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toMatch(/^[0-9a-f]{32}$/);
    const response = await signer().fetch(`${endpoint()}/${bucket}/gone.txt`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amz-delete-marker")).toBe("true");
    expect(await response.text()).toContain("<Code>NoSuchKey</Code>");
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents ?? []).toEqual([]);
    expect(await text(bucket, "gone.txt", first)).toBe("still here");
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(versions.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[deleted.VersionId, true]]);
    expect(versions.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[first, false]]);
  });

  it("GetObject › a delete marker asked for by id is 405 MethodNotAllowed", async () => {
    const marker = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).DeleteMarkers![0]!.VersionId!;
    const response = await signer().fetch(`${endpoint()}/${bucket}/gone.txt?versionId=${marker}`);
    expect(response.status).toBe(405);
    expect(response.headers.get("x-amz-delete-marker")).toBe("true");
  });

  it("DeleteObject › deleting the delete marker brings the previous version back", async () => {
    const marker = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).DeleteMarkers![0]!.VersionId!;
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "gone.txt", VersionId: marker }));
    expect(deleted.DeleteMarker).toBe(true);
    expect(deleted.VersionId).toBe(marker);
    expect(await text(bucket, "gone.txt")).toBe("still here");
  });

  it("DeleteObject › deleting a version by id removes it for good", async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "gone.txt", VersionId: first }));
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "gone.txt" })))).status).toBe(404);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions ?? []).toEqual([]);
  });

  it("DeleteObjects › versioned entries delete versions, plain ones add delete markers", async () => {
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "batch-a", Body: "a" }))).VersionId!;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "batch-b", Body: "b" }));
    const result = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "batch-a", VersionId: v1 }, { Key: "batch-b" }] } }));
    const byKey = Object.fromEntries((result.Deleted ?? []).map((d) => [d.Key, d]));
    expect(byKey["batch-a"]).toMatchObject({ VersionId: v1 });
    expect(byKey["batch-b"]?.DeleteMarker).toBe(true);
    expect(byKey["batch-b"]?.DeleteMarkerVersionId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("DeleteBucket › a bucket holding only delete markers is not empty", async () => {
    const onlyMarkers = await versioned("ver-markers-only");
    const put = await s3.send(new PutObjectCommand({ Bucket: onlyMarkers, Key: "k", Body: "x" }));
    await s3.send(new DeleteObjectCommand({ Bucket: onlyMarkers, Key: "k", VersionId: put.VersionId }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: onlyMarkers, Key: "k" }));
    expect(await s3Error(s3.send(new DeleteBucketCommand({ Bucket: onlyMarkers })))).toEqual({ code: "BucketNotEmpty", status: 409 });
    await s3.send(new DeleteObjectCommand({ Bucket: onlyMarkers, Key: "k", VersionId: marker.VersionId }));
    await s3.send(new DeleteBucketCommand({ Bucket: onlyMarkers }));
  });
});

describe("suspended versioning and unversioned buckets", () => {
  it("PutObject › a suspended bucket writes the null version, replacing only it", async () => {
    const bucket = await versioned("ver-suspend");
    const kept = (await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "versioned" }))).VersionId!;
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const a = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "null one" }));
    const b = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "null two" }));
    expect([a.VersionId, b.VersionId]).toEqual(["null", "null"]);
    const versions = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }))).Versions!;
    expect(versions.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ["null", true],
      [kept, false],
    ]);
    expect(await text(bucket, "k")).toBe("null two");
    expect(await text(bucket, "k", kept)).toBe("versioned");
  });

  it("DeleteObject › in a suspended bucket leaves a null delete marker", async () => {
    const bucket = await versioned("ver-suspend-del", "Enabled");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Suspended" } }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "k" }));
    expect(deleted).toMatchObject({ DeleteMarker: true, VersionId: "null" });
  });

  it("ListObjectVersions › an unversioned bucket lists each object once, as the null version", async () => {
    const bucket = await newBucket("ver-none");
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "plain", Body: "p" }));
    expect(put.VersionId).toBeUndefined();
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([["plain", "null", true]]);
    expect(await text(bucket, "plain", "null")).toBe("p");
  });
});
