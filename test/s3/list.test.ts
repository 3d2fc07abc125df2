/**
 * ListObjects (V1) and ListObjectsV2 against the real stack. Every paging test compares the
 * concatenated pages with a model of S3's listing: keys in UTF-8 byte order, keys rolled up
 * into common prefixes under the delimiter, an entry (key or common prefix) listed only when
 * it sorts after the marker / start-after / continuation position, and contents plus common
 * prefixes counting together against max-keys, exactly.
 */
import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand, type ListObjectsCommandOutput } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();

const KEYS = [
  "a", "a.b", "a/b/c", "a/b/d", "a/e", "a0", "b", "b/", "c/x/y", "c/x/z", "c/y",
  "key with spaces", "key with spaces/inner key", "plus+sign", "plus+/a+b", "percent%", "percent%25/x",
  "unicode/é", "unicode/日本語", "ünï/cödé", "\uFF41/fullwidth", "\uFF41x", "😀/emoji", "😀😀", "z",
];

/** S3's order: UTF-8 bytes, which differs from JS string order for astral characters. */
function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

interface ListShape {
  prefix: string;
  delimiter: string;
}

interface Entries {
  keys: string[];
  prefixes: string[];
}

/** The whole listing S3 would produce after `after`, in order. */
function model({ prefix, delimiter }: ListShape, after = ""): Entries & { count: number } {
  const entries: Array<{ value: string; prefix: boolean }> = [];
  for (const key of [...KEYS].sort(utf8Compare)) {
    if (!key.startsWith(prefix)) continue;
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const entry = at < 0 ? { value: key, prefix: false } : { value: key.slice(0, at + delimiter.length), prefix: true };
    if (entries.at(-1)?.value !== entry.value) entries.push(entry);
  }
  const listed = entries.filter((e) => utf8Compare(e.value, after) > 0);
  return {
    keys: listed.filter((e) => !e.prefix).map((e) => e.value),
    prefixes: listed.filter((e) => e.prefix).map((e) => e.value),
    count: listed.length,
  };
}

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
  const out = await s3.send(
    new ListObjectsCommand({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, MaxKeys: maxKeys, Marker: marker, EncodingType: "url" }),
  );
  expect(out.EncodingType).toBe("url");
  expect(out.Prefix).toBe(encodeURIComponent(shape.prefix).replace(/%2F/g, "/"));
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
  const out = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, MaxKeys: maxKeys, ContinuationToken: token }),
  );
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
  bucket = await newBucket("list");
  for (const key of KEYS) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
});

describe("ListObjectsV2", () => {
  it("lists every key in UTF-8 byte order, with sizes, ETags and storage class", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents!.map((o) => o.Key)).toEqual(model({ prefix: "", delimiter: "" }).keys);
    expect(out.KeyCount).toBe(KEYS.length);
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxKeys).toBe(1000);
    const one = out.Contents!.find((o) => o.Key === "unicode/日本語")!;
    expect(one.Size).toBe(Buffer.byteLength("unicode/日本語"));
    expect(one.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(one.StorageClass).toBe("STANDARD");
    expect(one.Owner).toBeUndefined();
  });

  it("filters by prefix", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/b" }));
    expect(out.Contents!.map((o) => o.Key)).toEqual(["a/b/c", "a/b/d"]);
    expect(out.Prefix).toBe("a/b");
  });

  it("rolls keys up into common prefixes under a delimiter", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", Prefix: "a/" }));
    expect(out.Contents!.map((o) => o.Key)).toEqual(["a/e"]);
    expect(out.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/b/"]);
    expect(out.Delimiter).toBe("/");
    expect(out.KeyCount).toBe(2);
    // a key equal to the prefix is listed as itself
    const dir = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", Prefix: "b/" }));
    expect(dir.Contents!.map((o) => o.Key)).toEqual(["b/"]);
    expect(dir.CommonPrefixes).toBeUndefined();
  });

  it("counts common prefixes against max-keys exactly as S3 does", async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", MaxKeys: 3 }));
    expect(first.Contents!.map((o) => o.Key)).toEqual(["a", "a.b"]);
    expect(first.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["a/"]);
    expect(first.KeyCount).toBe(3);
    expect(first.IsTruncated).toBe(true);
    // the last page holds exactly max-keys entries and is not truncated
    const last = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/", Prefix: "c/", MaxKeys: 2 }));
    expect(last.Contents!.map((o) => o.Key)).toEqual(["c/y"]);
    expect(last.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["c/x/"]);
    expect(last.IsTruncated).toBe(false);
    expect(last.NextContinuationToken).toBeUndefined();
  });

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
    for (const shape of [{ prefix: "", delimiter: "" }, { prefix: "", delimiter: "/" }, { prefix: "\uFF41", delimiter: "" }, { prefix: "a/", delimiter: "/" }]) {
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

  it("answers an empty, untruncated page for max-keys 0", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(out.Contents).toBeUndefined();
    expect(out.KeyCount).toBe(0);
    expect(out.MaxKeys).toBe(0);
    expect(out.IsTruncated).toBe(false);
  });

  it("returns each key's owner only with fetch-owner", async () => {
    const owned = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 2 }));
    expect(owned.Contents!.map((o) => o.Owner)).toEqual([{ ID: "owner-test", DisplayName: "test" }, { ID: "owner-test", DisplayName: "test" }]);
    const plain = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: false, MaxKeys: 2 }));
    expect(plain.Contents!.every((o) => o.Owner === undefined)).toBe(true);
  });

  it("percent-encodes keys, prefixes and start-after with encoding-type=url", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: "url", Delimiter: "/", StartAfter: "a b" }));
    expect(out.EncodingType).toBe("url");
    expect(out.StartAfter).toBe("a%20b");
    const keys = out.Contents!.map((o) => o.Key!);
    const prefixes = out.CommonPrefixes!.map((p) => p.Prefix!);
    for (const raw of [...keys, ...prefixes]) expect(raw).toMatch(/^[A-Za-z0-9%._~/-]*$/);
    expect(keys).toContain("key%20with%20spaces");
    expect(keys).toContain("plus%2Bsign");
    expect(keys).toContain("percent%25");
    expect(prefixes).toContain("percent%2525/");
    expect(prefixes).toContain("%C3%BCn%C3%AF/");
    const expected = model({ prefix: "", delimiter: "/" }, "a b");
    expect({ keys: keys.map(decodeURIComponent), prefixes: prefixes.map(decodeURIComponent) }).toEqual({ keys: expected.keys, prefixes: expected.prefixes });
  });

  it("refuses an encoding-type other than url with InvalidArgument", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?list-type=2&encoding-type=base64`);
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("<Code>InvalidArgument</Code>");
    expect(text).toContain("<ArgumentName>encoding-type</ArgumentName>");
  });

  it("refuses a continuation token it did not issue with InvalidArgument", async () => {
    for (const token of ["garbage", "Zm9v", "a/b/c", "%%%"]) {
      expect(await s3Error(s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))), token).toEqual({ code: "InvalidArgument", status: 400 });
    }
  });

  it("refuses a max-keys that is not a non-negative 32-bit integer with InvalidArgument", async () => {
    for (const max of ["-1", "abc", "1.5", "1e3", "2147483648"]) {
      const response = await signer().fetch(`${endpoint()}/${bucket}?list-type=2&max-keys=${max}`);
      expect(response.status, max).toBe(400);
      expect(await response.text()).toContain("<Code>InvalidArgument</Code>");
    }
  });

  it("answers NoSuchBucket for a missing bucket and AccessDenied for another owner's", async () => {
    expect(await s3Error(s3.send(new ListObjectsV2Command({ Bucket: `${bucket}-missing` })))).toEqual({ code: "NoSuchBucket", status: 404 });
    expect(await s3Error(s3Client(OTHER_KEY).send(new ListObjectsV2Command({ Bucket: bucket })))).toEqual({ code: "AccessDenied", status: 403 });
  });
});

describe("ListObjects", () => {
  it("lists keys with the owner, echoing prefix, marker and max-keys", async () => {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: "a", Marker: "a.b" }));
    expect(out.Contents!.map((o) => o.Key)).toEqual(["a/b/c", "a/b/d", "a/e", "a0"]);
    expect(out.Contents![0]!.Owner).toEqual({ ID: "owner-test", DisplayName: "test" });
    expect(out.Prefix).toBe("a");
    expect(out.Marker).toBe("a.b");
    expect(out.MaxKeys).toBe(1000);
    expect(out.IsTruncated).toBe(false);
    expect(out.NextMarker).toBeUndefined();
  });

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
    for (const [marker, shape] of [["a/b/c0", { prefix: "", delimiter: "/" }], ["a/b/c0", { prefix: "", delimiter: "" }], ["😀", { prefix: "\uFF41", delimiter: "" }], ["0", { prefix: "", delimiter: "/" }]] as const) {
      const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, Prefix: shape.prefix, Delimiter: shape.delimiter || undefined, Marker: marker }));
      const expected = model(shape, marker);
      expect({ keys: (out.Contents ?? []).map((o) => o.Key), prefixes: (out.CommonPrefixes ?? []).map((p) => p.Prefix) }, marker).toEqual({
        keys: expected.keys,
        prefixes: expected.prefixes,
      });
    }
  });

  it("answers an empty, untruncated page for max-keys 0", async () => {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 0 }));
    expect(out.Contents).toBeUndefined();
    expect(out.IsTruncated).toBe(false);
    expect(out.MaxKeys).toBe(0);
  });

  it("percent-encodes keys, prefixes, marker and NextMarker with encoding-type=url", async () => {
    const out = await s3.send(new ListObjectsCommand({ Bucket: bucket, EncodingType: "url", Delimiter: "/", Marker: "percent%", MaxKeys: 2 }));
    expect(out.Marker).toBe("percent%25");
    expect(out.Delimiter).toBe("/");
    expect(out.Contents ?? []).toEqual([]);
    expect(out.CommonPrefixes!.map((p) => p.Prefix)).toEqual(["percent%2525/", "plus%2B/"]);
    expect(out.NextMarker).toBe("plus%2B/");
    expect(out.IsTruncated).toBe(true);
  });

  it("refuses an encoding-type other than url with InvalidArgument", async () => {
    const response = await signer().fetch(`${endpoint()}/${bucket}?encoding-type=URL`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidArgument</Code>");
  });
});

describe("ListObjectsV2 on a bucket of more than 1000 keys", () => {
  const dirs = Array.from({ length: 5 }, (_, d) => Array.from({ length: 70 }, (_, f) => `d${d}/f${String(f).padStart(3, "0")}`)).flat();
  const files = Array.from({ length: 660 }, (_, f) => `f${String(f).padStart(4, "0")}`);
  const all = [...dirs, ...files].sort(utf8Compare);
  let big: string;

  beforeAll(async () => {
    big = await newBucket("list-big");
    const queue = [...all];
    const worker = async () => {
      for (let key = queue.shift(); key !== undefined; key = queue.shift()) await s3.send(new PutObjectCommand({ Bucket: big, Key: key, Body: "" }));
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  }, 120_000);

  it("caps a page at 1000 keys and answers MaxKeys 1000 for a larger max-keys", async () => {
    const first = await s3.send(new ListObjectsV2Command({ Bucket: big, MaxKeys: 5000 }));
    expect(first.MaxKeys).toBe(1000);
    expect(first.KeyCount).toBe(1000);
    expect(first.IsTruncated).toBe(true);
    const rest = await s3.send(new ListObjectsV2Command({ Bucket: big, ContinuationToken: first.NextContinuationToken }));
    expect([...first.Contents!, ...rest.Contents!].map((o) => o.Key)).toEqual(all);
    expect(rest.IsTruncated).toBe(false);
  });

  it("rolls many keys per prefix into one entry, whatever the page size", async () => {
    const expected = { keys: files, prefixes: ["d0/", "d1/", "d2/", "d3/", "d4/"] };
    for (const maxKeys of [1000, 100, 7]) {
      const listed: Entries = { keys: [], prefixes: [] };
      let token: string | undefined;
      do {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: big, Delimiter: "/", MaxKeys: maxKeys, ContinuationToken: token }));
        listed.keys.push(...(out.Contents ?? []).map((o) => o.Key!));
        listed.prefixes.push(...(out.CommonPrefixes ?? []).map((p) => p.Prefix!));
        if (out.IsTruncated) expect(out.KeyCount).toBe(maxKeys);
        token = out.NextContinuationToken;
      } while (token);
      expect(listed, `max-keys ${maxKeys}`).toEqual(expected);
    }
  });

  it("pages one prefix with V1 markers", async () => {
    const listed: string[] = [];
    let marker: string | undefined;
    let truncated = true;
    while (truncated) {
      const out = await s3.send(new ListObjectsCommand({ Bucket: big, Prefix: "d3/", Delimiter: "/", MaxKeys: 50, Marker: marker }));
      listed.push(...out.Contents!.map((o) => o.Key!));
      truncated = out.IsTruncated === true;
      marker = out.NextMarker;
    }
    expect(listed).toEqual(dirs.filter((k) => k.startsWith("d3/")));
  });
});

