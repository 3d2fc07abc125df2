/**
 * ListObjects (V1) against the real stack: what one page holds and echoes, max-keys 0 and
 * encoding-type. Paging to the end is in list-paging.test.ts.
 */
import { ListObjectsCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { newBucketOfKeys } from "../helpers/list-model";
import { endpoint, s3Client, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucketOfKeys("list-v1");
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
