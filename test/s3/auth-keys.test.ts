/**
 * Keys whose bytes make signing hard (reserved characters, unicode, control characters, dot
 * segments), stored and read back through the SDK, aws4fetch and raw request lines.
 */
import { ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { getBytes, objectUrl } from "../helpers/auth-objects";
import { DEFAULT_KEY } from "../helpers/credentials";
import { rawRequest } from "../helpers/raw-http";
import { endpoint, newBucket, s3Client, signer } from "../helpers/s3";
import { signHeaders } from "../helpers/sigv4-by-hand";

let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("auth-keys");
});

describe("Keys that are hard to sign", () => {
  const KEYS = [
    "with space",
    "plus+sign",
    "bang!",
    "star*",
    "quote'",
    "paren(x)",
    "ünïcødé/日本語 😀",
    "a//b",
    "semi;colon=eq&amp",
    "hash#q?",
    "percent%41",
    "tilde~",
    "trailing/",
    'quote"',
    "back\\slash",
    "brace{x}^|`",
    "literal%2Fslash",
    "dollar$@:,",
    "tab\tand\u0001",
  ];
  /** Keys holding `.` or `..` segments, which URL normalisation would rewrite. */
  const DOT_KEYS = ["./x", "../y", "a/./b", "a/../b"];

  it.each(KEYS)("SDK › %s signs and round-trips", async (key) => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `sdk/${key}`, Body: `body of ${key}` }));
    expect((await getBytes(bucket, `sdk/${key}`)).bytes.toString()).toBe(`body of ${key}`);
    const listed = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `sdk/${key}` }));
    expect(listed.Contents?.map((c) => c.Key)).toContain(`sdk/${key}`);
  });

  // workerd would resolve `.` and `..` segments of the request line; the front door sends
  // them as %2E, and the gateway reads and verifies them as the dots they are.
  it.each(DOT_KEYS)("SDK › %s signs and round-trips", async (key) => {
    await s3Client().send(new PutObjectCommand({ Bucket: bucket, Key: `sdk/${key}`, Body: `body of ${key}` }));
    expect((await getBytes(bucket, `sdk/${key}`)).bytes.toString()).toBe(`body of ${key}`);
  });

  /** The keys stored under `prefix`, listed with the SDK (a prefix travels in the query). */
  async function listedKeys(prefix: string): Promise<string[]> {
    const listed = await s3Client().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return listed.Contents?.map((c) => c.Key!) ?? [];
  }

  // aws4fetch goes through WHATWG URLs, which resolve dot segments: the key's `/` travels as
  // %2F, and aws4fetch signs it as `/`, as S3 canonicalises it.
  it.each([...KEYS, ...DOT_KEYS])("aws4fetch › %s signs and round-trips", async (key) => {
    const url = objectUrl(bucket, `a4f/${key}`);
    expect((await signer().fetch(url, { method: "PUT", body: `body of ${key}` })).status).toBe(200);
    const got = await signer().fetch(url);
    expect(await got.text()).toBe(`body of ${key}`);
    expect(await listedKeys(`a4f/${key}`)).toContain(`a4f/${key}`);
  });

  it.each(DOT_KEYS)("gateway › %s sent with its dots as %2E verifies against the literal dots signed", async (key) => {
    const signedPath = `/${bucket}/raw/${key}`;
    const sentPath = signedPath
      .split("/")
      .map((s) => (s === "." ? "%2E" : s === ".." ? "%2E%2E" : s))
      .join("/");
    const signed = signHeaders("PUT", `${endpoint()}${signedPath}`, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }, DEFAULT_KEY);
    const response = await rawRequest({ origin: endpoint(), method: "PUT", path: sentPath, headers: signed.headers, body: `raw ${key}` });
    expect(response.status, response.body).toBe(200);
    expect(await listedKeys(`raw/${key}`)).toContain(`raw/${key}`);
    const got = await signer().fetch(objectUrl(bucket, `raw/${key}`));
    expect(await got.text()).toBe(`raw ${key}`);
  });
});
