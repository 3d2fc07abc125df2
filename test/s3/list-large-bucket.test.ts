/**
 * Listing a bucket of more than 1000 keys against the real stack: the 1000-key page cap, and
 * many keys rolled into few common prefixes across pages.
 */
import { ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { utf8Compare, type Entries } from "../helpers/list-model";
import { newBucket, s3Client } from "../helpers/s3";

const s3 = s3Client();

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
