/** CopyObject against the real stack: directives, copy-source conditions, ownership and large bytes. */
import { createHash, randomBytes } from "node:crypto";
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, GetObjectTaggingCommand, HeadObjectCommand, PutObjectCommand, type CopyObjectCommandInput } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
const other = s3Client(OTHER_KEY);

let bucket: string;
let second: string;
let counter = 0;

/** A fresh source object with content headers, metadata and tags. */
async function source(body: string | Uint8Array = "source bytes", key = `src-${counter++}`) {
  const put = await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: "text/x-source",
      ContentDisposition: "attachment; filename=source.txt",
      CacheControl: "max-age=60",
      Metadata: { origin: "source", colour: "blue" },
      Tagging: "stage=raw&team=a",
    }),
  );
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { key, etag: put.ETag!, lastModified: head.LastModified! };
}

function copySource(b: string, key: string): string {
  return `${b}/${encodeURIComponent(key)}`;
}

async function bodyOf(b: string, key: string): Promise<Uint8Array> {
  const got = await s3.send(new GetObjectCommand({ Bucket: b, Key: key }));
  return got.Body!.transformToByteArray();
}

async function tagsOf(b: string, key: string) {
  return (await s3.send(new GetObjectTaggingCommand({ Bucket: b, Key: key }))).TagSet;
}

beforeAll(async () => {
  bucket = await newBucket("copy");
  second = await newBucket("copy-dest");
});

describe("CopyObject", () => {
  it("keeps the source's bytes, content headers, metadata and tags by default (COPY)", async () => {
    const src = await source();
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy-default", CopySource: copySource(bucket, src.key) }));
    expect(copied.CopyObjectResult?.ETag).toBe(src.etag);
    expect(copied.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy-default" }));
    expect(head.ContentType).toBe("text/x-source");
    expect(head.ContentDisposition).toBe("attachment; filename=source.txt");
    expect(head.CacheControl).toBe("max-age=60");
    expect(head.Metadata).toEqual({ origin: "source", colour: "blue" });
    expect(head.ETag).toBe(src.etag);
    expect(head.TagCount).toBe(2);
    expect(await tagsOf(bucket, "copy-default")).toEqual([
      { Key: "stage", Value: "raw" },
      { Key: "team", Value: "a" },
    ]);
    expect(Buffer.from(await bodyOf(bucket, "copy-default")).toString()).toBe("source bytes");
  });

  it("ignores the request's metadata under COPY", async () => {
    const src = await source();
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy-ignores", CopySource: copySource(bucket, src.key), Metadata: { origin: "request" }, ContentType: "text/x-request" }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy-ignores" }));
    expect(head.Metadata).toEqual({ origin: "source", colour: "blue" });
    expect(head.ContentType).toBe("text/x-source");
  });

  it("takes content headers and metadata from the request with REPLACE, keeping the tags", async () => {
    const src = await source();
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: "copy-replace",
        CopySource: copySource(bucket, src.key),
        MetadataDirective: "REPLACE",
        ContentType: "application/x-replaced",
        Metadata: { origin: "request" },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy-replace" }));
    expect(head.ContentType).toBe("application/x-replaced");
    expect(head.Metadata).toEqual({ origin: "request" });
    expect(head.ContentDisposition).toBeUndefined();
    expect(head.CacheControl).toBeUndefined();
    expect(head.ETag).toBe(src.etag);
    expect(await tagsOf(bucket, "copy-replace")).toEqual([
      { Key: "stage", Value: "raw" },
      { Key: "team", Value: "a" },
    ]);
  });

  it("replaces the tags with x-amz-tagging-directive REPLACE", async () => {
    const src = await source();
    const replace = { Bucket: bucket, CopySource: copySource(bucket, src.key), TaggingDirective: "REPLACE" } as const;
    await s3.send(new CopyObjectCommand({ ...replace, Key: "copy-tags", Tagging: "stage=copied" }));
    expect(await tagsOf(bucket, "copy-tags")).toEqual([{ Key: "stage", Value: "copied" }]);
    await s3.send(new CopyObjectCommand({ ...replace, Key: "copy-notags" }));
    expect(await tagsOf(bucket, "copy-notags")).toEqual([]);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy-notags" }));
    expect(head.TagCount).toBeUndefined();
    // the metadata is still the source's
    expect(head.Metadata).toEqual({ origin: "source", colour: "blue" });
  });

  it("refuses an unknown directive and invalid tags", async () => {
    const src = await source();
    const base = { Bucket: bucket, Key: "copy-bad", CopySource: copySource(bucket, src.key) };
    const badDirective = { ...base, MetadataDirective: "MOVE" } as unknown as CopyObjectCommandInput;
    expect(await s3Error(s3.send(new CopyObjectCommand(badDirective)))).toEqual({ code: "InvalidArgument", status: 400 });
    expect(await s3Error(s3.send(new CopyObjectCommand({ ...base, TaggingDirective: "REPLACE", Tagging: "aws:x=1" })))).toEqual({ code: "InvalidTag", status: 400 });
  });

  describe("x-amz-copy-source-if-*", () => {
    let src: Awaited<ReturnType<typeof source>>;
    const secondBefore = (d: Date) => new Date(d.getTime() - 1000);
    beforeAll(async () => {
      src = await source();
    });

    const copy = (extra: Partial<CopyObjectCommandInput>) => s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy-conditional", CopySource: copySource(bucket, src.key), ...extra }));
    const failed = { code: "PreconditionFailed", status: 412 };

    it("if-match: copies on a matching ETag, 412 otherwise", async () => {
      expect((await copy({ CopySourceIfMatch: src.etag })).$metadata.httpStatusCode).toBe(200);
      expect((await copy({ CopySourceIfMatch: "*" })).$metadata.httpStatusCode).toBe(200);
      expect(await s3Error(copy({ CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }))).toEqual(failed);
    });

    it("if-none-match: 412 on a matching ETag, copies otherwise", async () => {
      expect(await s3Error(copy({ CopySourceIfNoneMatch: src.etag }))).toEqual(failed);
      expect(await s3Error(copy({ CopySourceIfNoneMatch: "*" }))).toEqual(failed);
      expect((await copy({ CopySourceIfNoneMatch: '"0123456789abcdef0123456789abcdef"' })).$metadata.httpStatusCode).toBe(200);
    });

    it("if-modified-since: 412 when the source is not newer, copies when it is", async () => {
      expect(await s3Error(copy({ CopySourceIfModifiedSince: src.lastModified }))).toEqual(failed);
      expect((await copy({ CopySourceIfModifiedSince: secondBefore(src.lastModified) })).$metadata.httpStatusCode).toBe(200);
    });

    it("if-unmodified-since: 412 when the source is newer, copies when it is not", async () => {
      expect(await s3Error(copy({ CopySourceIfUnmodifiedSince: secondBefore(src.lastModified) }))).toEqual(failed);
      expect((await copy({ CopySourceIfUnmodifiedSince: src.lastModified })).$metadata.httpStatusCode).toBe(200);
    });

    it("if-match true wins over if-unmodified-since false; if-none-match false fails despite if-modified-since true", async () => {
      const old = secondBefore(src.lastModified);
      expect((await copy({ CopySourceIfMatch: src.etag, CopySourceIfUnmodifiedSince: old })).$metadata.httpStatusCode).toBe(200);
      expect(await s3Error(copy({ CopySourceIfNoneMatch: src.etag, CopySourceIfModifiedSince: old }))).toEqual(failed);
    });

    it("names the failed copy-source header in the error's Condition", async () => {
      const cases: Array<[string, string, string]> = [
        ["x-amz-copy-source-if-match", '"nope"', "x-amz-copy-source-If-Match"],
        ["x-amz-copy-source-if-none-match", src.etag, "x-amz-copy-source-If-None-Match"],
        ["x-amz-copy-source-if-unmodified-since", secondBefore(src.lastModified).toUTCString(), "x-amz-copy-source-If-Unmodified-Since"],
        ["x-amz-copy-source-if-modified-since", src.lastModified.toUTCString(), "x-amz-copy-source-If-Modified-Since"],
      ];
      for (const [header, value, condition] of cases) {
        const response = await signer().fetch(`${endpoint()}/${bucket}/copy-conditional`, {
          method: "PUT",
          headers: { "x-amz-copy-source": copySource(bucket, src.key), [header]: value },
        });
        expect(response.status, header).toBe(412);
        expect(await response.text()).toContain(`<Condition>${condition}</Condition>`);
      }
    });

    it("a failed condition leaves the destination as it was", async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "copy-untouched", Body: "before" }));
      const error = await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy-untouched", CopySource: copySource(bucket, src.key), CopySourceIfMatch: '"nope"' })));
      expect(error).toEqual(failed);
      expect(Buffer.from(await bodyOf(bucket, "copy-untouched")).toString()).toBe("before");
    });
  });

  it("refuses a copy onto itself that changes nothing with InvalidRequest", async () => {
    const src = await source();
    const error = await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: src.key, CopySource: copySource(bucket, src.key) })));
    expect(error).toEqual({ code: "InvalidRequest", status: 400 });
  });

  it("copies onto itself with REPLACE: metadata updated, bytes and ETag intact", async () => {
    const bytes = randomBytes(64 * 1024);
    const src = await source(bytes);
    const copied = await s3.send(
      new CopyObjectCommand({ Bucket: bucket, Key: src.key, CopySource: copySource(bucket, src.key), MetadataDirective: "REPLACE", ContentType: "text/x-new", Metadata: { version: "2" } }),
    );
    expect(copied.$metadata.httpStatusCode).toBe(200);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: src.key }));
    expect(head.Metadata).toEqual({ version: "2" });
    expect(head.ContentType).toBe("text/x-new");
    expect(head.ETag).toBe(src.etag);
    expect(head.LastModified!.getTime()).toBeGreaterThanOrEqual(src.lastModified.getTime());
    expect(Buffer.from(await bodyOf(bucket, src.key)).equals(bytes)).toBe(true);
  });

  it("keeps the bytes of an object whose self-copy fails its write condition", async () => {
    const bytes = randomBytes(32 * 1024);
    const src = await source(bytes);
    const replace = { Bucket: bucket, Key: src.key, CopySource: copySource(bucket, src.key), MetadataDirective: "REPLACE", Metadata: { version: "3" } } as const;
    expect(await s3Error(s3.send(new CopyObjectCommand({ ...replace, IfMatch: '"0123456789abcdef0123456789abcdef"' })))).toEqual({ code: "PreconditionFailed", status: 412 });
    expect(await s3Error(s3.send(new CopyObjectCommand({ ...replace, IfNoneMatch: "*" })))).toEqual({ code: "PreconditionFailed", status: 412 });
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: src.key }));
    expect(head.Metadata).toEqual({ origin: "source", colour: "blue" });
    // storage-service frees discarded bytes off the response path: give it a moment
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Buffer.from(await bodyOf(bucket, src.key)).equals(bytes)).toBe(true);
    await s3.send(new CopyObjectCommand({ ...replace, IfMatch: src.etag }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: src.key }))).Metadata).toEqual({ version: "3" });
    expect(Buffer.from(await bodyOf(bucket, src.key)).equals(bytes)).toBe(true);
  });

  it("copies across buckets, keys with spaces, '+' and unicode included", async () => {
    const src = await source("across", "dir/a key+plus ünï.txt");
    await s3.send(new CopyObjectCommand({ Bucket: second, Key: "copied/ü + space", CopySource: copySource(bucket, src.key) }));
    expect(Buffer.from(await bodyOf(second, "copied/ü + space")).toString()).toBe("across");
    // a leading slash in x-amz-copy-source is accepted too
    await s3.send(new CopyObjectCommand({ Bucket: second, Key: "slash", CopySource: `/${copySource(bucket, src.key)}` }));
    expect(Buffer.from(await bodyOf(second, "slash")).toString()).toBe("across");
  });

  it("gives the copy its own bytes: deleting or overwriting the source leaves it intact", async () => {
    const src = await source("original");
    await s3.send(new CopyObjectCommand({ Bucket: second, Key: "independent", CopySource: copySource(bucket, src.key) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: src.key, Body: "overwritten" }));
    expect(Buffer.from(await bodyOf(second, "independent")).toString()).toBe("original");
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: src.key }));
    expect(Buffer.from(await bodyOf(second, "independent")).toString()).toBe("original");
  });

  it("answers NoSuchKey for a missing source and NoSuchBucket for a missing source bucket", async () => {
    expect(await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "x", CopySource: copySource(bucket, "does-not-exist") })))).toEqual({ code: "NoSuchKey", status: 404 });
    expect(await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "x", CopySource: copySource(`${bucket}-missing`, "k") })))).toEqual({ code: "NoSuchBucket", status: 404 });
  });

  it("refuses a malformed x-amz-copy-source with InvalidArgument", async () => {
    for (const bad of [bucket, `${bucket}/`, "%E0%A4%A/key"]) {
      expect(await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "x", CopySource: bad }))), bad).toEqual({ code: "InvalidArgument", status: 400 });
    }
  });

  it("answers AccessDenied for a source in another owner's bucket, or a destination in one", async () => {
    const src = await source();
    const theirs = await newBucket("copy-theirs", other);
    expect(await s3Error(other.send(new CopyObjectCommand({ Bucket: theirs, Key: "stolen", CopySource: copySource(bucket, src.key) })))).toEqual({ code: "AccessDenied", status: 403 });
    expect(await s3Error(s3.send(new CopyObjectCommand({ Bucket: theirs, Key: "pushed", CopySource: copySource(bucket, src.key) })))).toEqual({ code: "AccessDenied", status: 403 });
  });

  it("copies a multi-MiB object byte for byte, with the same ETag", async () => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    const md5 = createHash("md5").update(bytes).digest("hex");
    const src = await source(bytes, "big-source");
    expect(src.etag).toBe(`"${md5}"`);
    const copied = await s3.send(new CopyObjectCommand({ Bucket: second, Key: "big-copy", CopySource: copySource(bucket, src.key) }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5}"`);
    const head = await s3.send(new HeadObjectCommand({ Bucket: second, Key: "big-copy" }));
    expect(head.ContentLength).toBe(bytes.length);
    expect(head.ETag).toBe(`"${md5}"`);
    const got = await bodyOf(second, "big-copy");
    expect(got.length).toBe(bytes.length);
    expect(createHash("md5").update(got).digest("hex")).toBe(md5);
  });
});
