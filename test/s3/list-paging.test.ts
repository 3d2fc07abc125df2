/**
 * ListObjects (V1) and ListObjectsV2 paged to the end, against the real stack. Every test
 * compares the concatenated pages with the model of S3's listing (test/helpers/list-model.ts),
 * with contents plus common prefixes counting together against max-keys, exactly.
 */
import { ListObjectsCommand, ListObjectsV2Command, type ListObjectsCommandOutput } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { KEYS, model, newBucketOfKeys, type Entries, type ListShape } from "../helpers/list-model";
import { s3Client } from "../helpers/s3";

const s3 = s3Client();

interface Page extends Entries {
  truncated: boolean;
  /** what to ask for next: a marker, or a continuation token */
  next?: string;
}

type Pager = (shape: ListShape, maxKeys: number, position: string | undefined) => Promise<Page>;

let bucket: string;

/** V1, continuing from NextMarker (returned only with a delimiter, as in S3) or the last key. */
const v1: Pager = async (shape, maxKeys, marker) => {
  const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, MaxKeys: maxKeys, Marker: marker }));
  if (!shape.delimiter) expect(out.NextMarker).toBeUndefined();
  return v1Page(out, (v) => v);
};

/**
 * V1 as rclone and s3cmd page it: `encoding-type=url`, everything decoded by the client,
 * the marker being NextMarker or else the last key.
 */
const v1Encoded: Pager = async (shape, maxKeys, marker) => {
  const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, MaxKeys: maxKeys, Marker: marker, EncodingType: "url" }));
  expect(out.EncodingType).toBe("url");
  expect(out.Prefix).toBe(shape.prefix); // V1 never encodes Prefix
  return v1Page(out, decodeURIComponent);
};

function v1Page(out: ListObjectsCommandOutput, decode: (value: string) => string): Page {
  const keys = (out.Contents ?? []).map((o) => decode(o.Key!));
  const prefixes = (out.CommonPrefixes ?? []).map((p) => decode(p.Prefix!));
  const truncated = out.IsTruncated === true;
  if (!truncated) expect(out.NextMarker).toBeUndefined();
  const next = out.NextMarker !== undefined ? decode(out.NextMarker) : keys.at(-1);
  return { keys, prefixes, truncated, next };
}

const v2: Pager = async (shape, maxKeys, token) => {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, MaxKeys: maxKeys, ContinuationToken: token }));
  const keys = (out.Contents ?? []).map((o) => o.Key!);
  const prefixes = (out.CommonPrefixes ?? []).map((p) => p.Prefix!);
  expect(out.KeyCount).toBe(keys.length + prefixes.length);
  expect(out.ContinuationToken).toBe(token);
  const truncated = out.IsTruncated === true;
  expect(out.NextContinuationToken === undefined).toBe(!truncated);
  return { keys, prefixes, truncated, next: out.NextContinuationToken };
};

/** Pages to the end; every page but the last is full, and the last one is not truncated. */
async function listAll(pager: Pager, shape: ListShape, maxKeys: number, start?: string): Promise<Entries> {
  const all: Entries = { keys: [], prefixes: [] };
  let position = start;
  for (let pages = 0; pages < 100; pages++) {
    const page = await pager(shape, maxKeys, position);
    all.keys.push(...page.keys);
    all.prefixes.push(...page.prefixes);
    const count = page.keys.length + page.prefixes.length;
    if (!page.truncated) {
      if (pages > 0) expect(count, "a truncated page was followed by an empty one").toBeGreaterThan(0);
      return all;
    }
    expect(count).toBe(maxKeys);
    expect(page.next).toBeDefined();
    position = page.next;
  }
  throw new Error("listing did not end");
}

const SHAPES: ListShape[] = [
  { prefix: "", delimiter: "" },
  { prefix: "", delimiter: "/" },
  { prefix: "a", delimiter: "/" },
  { prefix: "a/", delimiter: "/" },
  { prefix: "c/", delimiter: "/" },
  { prefix: "", delimiter: "/x" },
  { prefix: "\uFF41", delimiter: "" },
  { prefix: "😀", delimiter: "/" },
];

beforeAll(async () => {
  bucket = await newBucketOfKeys("list-paging");
});

describe("ListObjectsV2", () => {
  for (const shape of SHAPES) {
    it(`pages to the end with continuation-token (prefix ${JSON.stringify(shape.prefix)}, delimiter ${JSON.stringify(shape.delimiter)})`, async () => {
      const expected = model(shape);
      expect(expected.count).toBeGreaterThan(0);
      for (const maxKeys of [1, 2, 3, 1000]) {
        expect(await listAll(v2, shape, maxKeys), `max-keys ${maxKeys}`).toEqual({ keys: expected.keys, prefixes: expected.prefixes });
      }
    });
  }

  it("starts after start-after, inside or outside a common prefix, in UTF-8 order", async () => {
    const afters = [...KEYS, "", "a/", "a/b", "a/b/", "a/b/c0", "c/x/", "b", "\uFF41", "😀", "😀/", "\uFFFF", "zz", "0"];
    for (const shape of [
      { prefix: "", delimiter: "" },
      { prefix: "", delimiter: "/" },
      { prefix: "\uFF41", delimiter: "" },
      { prefix: "a/", delimiter: "/" },
    ]) {
      for (const after of afters) {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, StartAfter: after || undefined }));
        const expected = model(shape, after);
        const what = `start-after ${JSON.stringify(after)} under ${JSON.stringify(shape)}`;
        expect({ keys: (out.Contents ?? []).map((o) => o.Key), prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix) }, what).toEqual({
          keys: expected.keys,
          prefixes: expected.prefixes,
        });
        if (after) expect(out.StartAfter).toBe(after);
      }
    }
  });

  it("pages after start-after with continuation tokens; the token wins over start-after", async () => {
    const shape = { prefix: "", delimiter: "/" };
    const pager: Pager = async (s, maxKeys, token) => {
      const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: s.delimiter, MaxKeys: maxKeys, StartAfter: "a/b/c", ContinuationToken: token }));
      expect(out.StartAfter).toBe("a/b/c");
      return { keys: (out.Contents ?? []).map((o) => o.Key!), prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix!), truncated: out.IsTruncated === true, next: out.NextContinuationToken };
    };
    const expected = model(shape, "a/b/c");
    expect(await listAll(pager, shape, 2)).toEqual({ keys: expected.keys, prefixes: expected.prefixes });
  });
});

describe("ListObjects", () => {
  it("pages with NextMarker through common prefixes as the ceph s3-tests expect", async () => {
    // Each page holds one entry; NextMarker names the common prefix when one ends the page.
    const pages: Array<[string[], string[], boolean, string | undefined]> = [];
    let marker: string | undefined;
    do {
      const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", Prefix: "c/", MaxKeys: 1, Marker: marker }));
      pages.push([(out.Contents ?? []).map((o) => o.Key!), (out.CommonPrefixes ?? []).map((p) => p.Prefix!), out.IsTruncated === true, out.NextMarker]);
      marker = out.NextMarker;
    } while (marker && pages.length < 10);
    expect(pages).toEqual([
      [[], ["c/x/"], true, "c/x/"],
      [["c/y"], [], false, undefined],
    ]);
  });

  for (const shape of SHAPES) {
    it(`pages to the end with NextMarker or the last key (prefix ${JSON.stringify(shape.prefix)}, delimiter ${JSON.stringify(shape.delimiter)})`, async () => {
      const expected = model(shape);
      for (const maxKeys of [1, 2, 3, 1000]) {
        expect(await listAll(v1, shape, maxKeys), `max-keys ${maxKeys}`).toEqual({ keys: expected.keys, prefixes: expected.prefixes });
      }
    });

    it(`pages rclone/s3cmd-style with encoding-type=url (prefix ${JSON.stringify(shape.prefix)}, delimiter ${JSON.stringify(shape.delimiter)})`, async () => {
      const expected = model(shape);
      for (const maxKeys of [1, 3]) {
        expect(await listAll(v1Encoded, shape, maxKeys), `max-keys ${maxKeys}`).toEqual({ keys: expected.keys, prefixes: expected.prefixes });
      }
    });
  }

  it("starts after a marker that is not a key, or lies inside a common prefix", async () => {
    for (const [marker, shape] of [
      ["a/b/c0", { prefix: "", delimiter: "/" }],
      ["a/b/c0", { prefix: "", delimiter: "" }],
      ["😀", { prefix: "\uFF41", delimiter: "" }],
      ["0", { prefix: "", delimiter: "/" }],
    ] as const) {
      const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, Marker: marker }));
      const expected = model(shape, marker);
      expect({ keys: (out.Contents ?? []).map((o) => o.Key), prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix) }, marker).toEqual({
        keys: expected.keys,
        prefixes: expected.prefixes,
      });
    }
  });
});
