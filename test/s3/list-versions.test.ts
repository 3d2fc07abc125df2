/** ListObjectVersions paging against the real stack: every page boundary, with and without a delimiter. */
import { DeleteObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";

const s3 = s3Client();

/** Each key gets this many versions; "x" entries end with a delete marker. */
const HISTORY: Array<[key: string, versions: number, deleted: boolean]> = [
  ["a/1", 3, false],
  ["a/2", 1, true],
  ["b", 2, false],
  ["c/d/e", 2, true],
  ["c/f", 1, false],
  ["d", 4, false],
];

type Entry = { key: string; versionId: string; marker: boolean };

let bucket: string;
/** The full expected order: keys ascending, newest first within a key. */
const expected: Entry[] = [];

beforeAll(async () => {
  bucket = await newBucket("list-versions");
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: "Enabled" } }));
  for (const [key, count, deleted] of HISTORY) {
    const made: Entry[] = [];
    for (let i = 0; i < count; i++) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `${key}#${i}` }));
      made.push({ key, versionId: put.VersionId!, marker: false });
    }
    if (deleted) made.push({ key, versionId: (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }))).VersionId!, marker: true });
    expected.push(...made.reverse());
  }
});

async function page(params: { maxKeys: number; prefix?: string; delimiter?: string; keyMarker?: string; versionIdMarker?: string }) {
  const out = await s3.send(
    new ListObjectVersionsCommand({
      Bucket: bucket,
      MaxKeys: params.maxKeys,
      Prefix: params.prefix,
      Delimiter: params.delimiter,
      KeyMarker: params.keyMarker,
      VersionIdMarker: params.versionIdMarker,
    }),
  );
  const entries: Array<Entry & { latest: boolean; lastModified: number }> = [
    ...(out.Versions ?? []).map((v) => ({ key: v.Key!, versionId: v.VersionId!, marker: false, latest: v.IsLatest!, lastModified: v.LastModified!.getTime() })),
    ...(out.DeleteMarkers ?? []).map((m) => ({ key: m.Key!, versionId: m.VersionId!, marker: true, latest: m.IsLatest!, lastModified: m.LastModified!.getTime() })),
  ];
  // Versions and delete markers come as separate lists: restore the listing order
  const order = new Map(expected.map((e, i) => [e.versionId, i]));
  entries.sort((x, y) => order.get(x.versionId)! - order.get(y.versionId)!);
  return { out, entries, prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix!) };
}

async function listAll(maxKeys: number, prefix?: string, delimiter?: string) {
  const seen: Array<Entry | string> = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const { out, entries, prefixes } = await page({ maxKeys, prefix, delimiter, keyMarker, versionIdMarker });
    expect(entries.length + prefixes.length).toBeLessThanOrEqual(maxKeys);
    seen.push(...entries.map(({ key, versionId, marker }) => ({ key, versionId, marker })), ...prefixes);
    if (!out.IsTruncated) return seen;
    keyMarker = out.NextKeyMarker;
    versionIdMarker = out.NextVersionIdMarker;
  }
  throw new Error("listing never ended");
}

describe("ListObjectVersions", () => {
  it("ListObjectVersions › one page holds every version in S3's order, the latest of each key marked", async () => {
    const { entries } = await page({ maxKeys: 1000 });
    expect(entries.map(({ key, versionId, marker }) => ({ key, versionId, marker }))).toEqual(expected);
    const latest = entries.filter((e) => e.latest).map((e) => e.key);
    expect(latest).toEqual(HISTORY.map(([key]) => key));
  });

  it.each([1, 2, 3, 5])("ListObjectVersions › pages of %i neither repeat nor skip a version", async (maxKeys) => {
    expect(await listAll(maxKeys)).toEqual(expected);
  });

  it.each([1, 2, 4])("ListObjectVersions › with a delimiter, pages of %i roll keys into common prefixes once", async (maxKeys) => {
    const all = await listAll(maxKeys, undefined, "/");
    expect(all.filter((e) => typeof e === "string")).toEqual(["a/", "c/"]);
    expect(all.filter((e) => typeof e !== "string")).toEqual(expected.filter((e) => !e.key.includes("/")));
  });

  it("ListObjectVersions › a prefix narrows the listing", async () => {
    expect(await listAll(2, "c/")).toEqual(expected.filter((e) => e.key.startsWith("c/")));
  });

  it("ListObjectVersions › a key marker alone skips all of that key's versions", async () => {
    const { entries } = await page({ maxKeys: 1000, keyMarker: "b" });
    expect(entries[0]?.key).toBe("c/d/e");
  });

  it("ListObjectVersions › a version-id-marker without a key-marker is InvalidArgument", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?versions&version-id-marker=${expected[0]!.versionId}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidArgument</Code>");
  });

  it("ListObjectVersions › encoding-type=url encodes keys and markers", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?versions&encoding-type=url&prefix=a%2F&max-keys=1`);
    const xml = await response.text();
    expect(xml).toContain("<Key>a/1</Key>");
    expect(xml).toContain("<EncodingType>url</EncodingType>");
    expect(xml).toContain("<NextKeyMarker>a/1</NextKeyMarker>");
  });
});
