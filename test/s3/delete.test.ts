/** DeleteObject and DeleteObjects against the real stack. */
import { createHash } from "node:crypto";
import { DeleteObjectCommand, DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { OTHER_KEY } from "../helpers/credentials";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

async function put(...keys: string[]): Promise<void> {
  for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
}

async function listed(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

/** A raw DeleteObjects request with its Content-MD5, as S3 requires. */
function postDelete(body: string): Promise<Response> {
  const md5 = createHash("md5").update(body).digest("base64");
  return signer().fetch(`${endpoint()}/${bucket}?delete`, { method: "POST", body, headers: { "content-md5": md5, "content-type": "application/xml" } });
}

beforeAll(async () => {
  bucket = await newBucket("delete");
});

describe("DeleteObject", () => {
  it("deletes a key with 204; it is gone from reads and listings", async () => {
    await put("one/a", "one/b");
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "one/a" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "one/a" })))).toMatchObject({ status: 404 });
    expect(await listed("one/")).toEqual(["one/b"]);
  });

  it("answers 204 for a key that does not exist", async () => {
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "never/was" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
  });

  it("deletes keys with spaces, '+', '%' and unicode", async () => {
    const keys = ["odd/a b", "odd/a+b", "odd/100%", "odd/日本語 ü"];
    await put(...keys);
    for (const key of keys) await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect(await listed("odd/")).toEqual([]);
  });

  it("answers NoSuchBucket for a missing bucket and AccessDenied for another owner's", async () => {
    await put("kept");
    expect(await s3Error(s3.send(new DeleteObjectCommand({ Bucket: `${bucket}-missing`, Key: "k" })))).toEqual({ code: "NoSuchBucket", status: 404 });
    expect(await s3Error(s3Client(OTHER_KEY).send(new DeleteObjectCommand({ Bucket: bucket, Key: "kept" })))).toEqual({ code: "AccessDenied", status: 403 });
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "kept" }));
  });
});

describe("DeleteObjects", () => {
  it("deletes every key and reports each one, missing keys included", async () => {
    const keys = ["many/a", "many/b & <c>", "many/ü d+e", "many/ padded  "];
    await put(...keys, "many/z");
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [...keys, "many/missing"].map((Key) => ({ Key })) } }));
    expect(out.Deleted!.map((d) => d.Key)).toEqual([...keys, "many/missing"]);
    expect(out.Errors).toBeUndefined();
    expect(await listed("many/")).toEqual(["many/z"]);
  });

  it("reports nothing but errors with Quiet", async () => {
    await put("quiet/a", "quiet/b");
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Quiet: true, Objects: [{ Key: "quiet/a" }, { Key: "quiet/b" }] } }));
    expect(out.$metadata.httpStatusCode).toBe(200);
    expect(out.Deleted).toBeUndefined();
    expect(out.Errors).toBeUndefined();
    expect(await listed("quiet/")).toEqual([]);
  });

  it("takes exactly 1000 keys", async () => {
    await put("thousand/0", "thousand/999");
    const objects = Array.from({ length: 1000 }, (_, i) => ({ Key: `thousand/${i}` }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } }));
    expect(out.Deleted).toHaveLength(1000);
    expect(await listed("thousand/")).toEqual([]);
  });

  it("refuses more than 1000 keys with MalformedXML, deleting none", async () => {
    await put("over/0");
    const objects = Array.from({ length: 1001 }, (_, i) => ({ Key: `over/${i}` }));
    expect(await s3Error(s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: objects } })))).toEqual({ code: "MalformedXML", status: 400 });
    expect(await listed("over/")).toEqual(["over/0"]);
  });

  it("refuses a malformed body with MalformedXML", async () => {
    const bodies = ["<Delete><Object><Key>a</Key></Object>", "not xml at all", "<Delete></Delete>", "<Delete><Quiet>true</Quiet></Delete>", "<Remove><Object><Key>a</Key></Object></Remove>", ""];
    for (const body of bodies) {
      const response = await postDelete(body);
      expect(response.status, body).toBe(400);
      expect(await response.text(), body).toContain("<Code>MalformedXML</Code>");
    }
  });

  it("accepts a hand-written document with the S3 namespace", async () => {
    await put("raw/a");
    const response = await postDelete('<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Object><Key>raw/a</Key></Object></Delete>');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain("<DeleteResult");
    expect(text).toContain("<Deleted><Key>raw/a</Key></Deleted>");
    expect(await listed("raw/")).toEqual([]);
  });

  it("refuses a body without Content-MD5 or a checksum with InvalidRequest, as S3 does", async () => {
    await put("unchecked/a");
    const body = "<Delete><Object><Key>unchecked/a</Key></Object></Delete>";
    const response = await signer().fetch(`${endpoint()}/${bucket}?delete`, { method: "POST", body });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidRequest</Code>");
    expect(await listed("unchecked/")).toEqual(["unchecked/a"]);
    const wrong = await signer().fetch(`${endpoint()}/${bucket}?delete`, { method: "POST", body, headers: { "content-md5": createHash("md5").update("other").digest("base64") } });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("<Code>BadDigest</Code>");
    expect(await listed("unchecked/")).toEqual(["unchecked/a"]);
  });

  it("answers another owner's key AccessDenied for each entry, as S3 judges each key, deleting nothing", async () => {
    await put("theirs/a");
    const answer = await s3Client(OTHER_KEY).send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "theirs/a" }, { Key: "theirs/missing" }] } }));
    expect(answer.Deleted ?? []).toEqual([]);
    expect(answer.Errors?.map((e) => [e.Key, e.Code])).toEqual([
      ["theirs/a", "AccessDenied"],
      ["theirs/missing", "AccessDenied"],
    ]);
    expect(await listed("theirs/")).toEqual(["theirs/a"]);
  });
});
