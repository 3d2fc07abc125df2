/**
 * ListObjectsV2 against the real stack: what one page holds and echoes, its parameters
 * (prefix, delimiter, max-keys, fetch-owner, encoding-type) and their refusals. Paging to the
 * end is in list-paging.test.ts.
 */
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { KEYS, model, newBucketOfKeys } from "../helpers/list-model";
import { endpoint, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucketOfKeys("list-v2");
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

  it("answers an empty, untruncated page for max-keys 0", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(out.Contents).toBeUndefined();
    expect(out.KeyCount).toBe(0);
    expect(out.MaxKeys).toBe(0);
    expect(out.IsTruncated).toBe(false);
  });

  it("returns each key's owner only with fetch-owner", async () => {
    const owned = await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 2 }));
    expect(owned.Contents!.map((o) => o.Owner)).toEqual([
      { ID: "owner-test", DisplayName: "test" },
      { ID: "owner-test", DisplayName: "test" },
    ]);
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
