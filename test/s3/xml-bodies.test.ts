/**
 * XML request bodies as Go clients write them (encoding/xml and smithy-go: `"` as `&#34;`,
 * `'` as `&#39;`, tab, newline and CR as `&#x9;`, `&#xA;`, `&#xD;`) read byte-exact, and hostile
 * XML — entity declarations, over-deep nesting, prototype names — refused with 400
 * MalformedXML by every operation that reads a body, leaving what is stored as it was.
 */
import { createHash } from "node:crypto";
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
} from "@aws-sdk/client-s3";
import { XMLParser } from "fast-xml-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { createUpload, MIN_PART, multipartEtag, uploadParts } from "../helpers/multipart";
import { pattern } from "../helpers/object-bodies";
import { endpoint, newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

/** What Go's xml.EscapeText writes for a string. */
function goEscape(text: string): string {
  const refs: Record<string, string> = { '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\t": "&#x9;", "\n": "&#xA;", "\r": "&#xD;" };
  return text.replace(/["'&<>\t\n\r]/g, (c) => refs[c]!);
}

/** A strict reader of the answers (numeric references decoded). */
const answerParser = new XMLParser({ parseTagValue: false, trimValues: false, htmlEntities: true, isArray: (name) => name === "Deleted" || name === "Error" });

function send(method: string, path: string, body: string): Promise<Response> {
  const md5 = createHash("md5").update(body).digest("base64");
  return signer().fetch(`${endpoint()}/${bucket}${path}`, { method, body, headers: { "content-md5": md5, "content-type": "application/xml" } });
}

beforeAll(async () => {
  bucket = await newBucket("xml-bodies");
});

describe("XML bodies as Go clients write them", () => {
  it("CompleteMultipartUpload › &#34;-quoted ETags (aws-sdk-go, minio-go, rclone) complete the upload", async () => {
    const parts = [pattern(MIN_PART, 1), pattern(1000, 2)];
    const uploadId = await createUpload(bucket, "go/complete");
    const done = await uploadParts(bucket, "go/complete", uploadId, parts);
    const body =
      `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
      done.map((p) => `<Part><ETag>${goEscape(p.ETag!)}</ETag><PartNumber>${p.PartNumber}</PartNumber></Part>`).join("") +
      `</CompleteMultipartUpload>`;
    expect(body).toContain("<ETag>&#34;");
    const response = await send("POST", `/go/complete?uploadId=${encodeURIComponent(uploadId)}`, body);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    expect(answerParser.parse(text).CompleteMultipartUploadResult.ETag).toBe(multipartEtag(parts));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "go/complete" }));
    expect(Buffer.compare(Buffer.from(await got.Body!.transformToByteArray()), Buffer.concat(parts))).toBe(0);
  });

  it("DeleteObjects › keys with \", ', &, <, >, tab, newline and CR as references delete exactly those keys, named byte-exact in the answer", async () => {
    const keys = ['go/quote"d', "go/it's", "go/a&b", "go/x<y>z", "go/tab\there", "go/new\nline", "go/carriage\rreturn"];
    for (const key of [...keys, "go/kept"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
    const body = `<Delete>${keys.map((key) => `<Object><Key>${goEscape(key)}</Key></Object>`).join("")}</Delete>`;
    const response = await send("POST", "?delete", body);
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const result = answerParser.parse(text).DeleteResult as { Deleted?: Array<{ Key: string }>; Error?: unknown[] };
    expect(result.Error).toBeUndefined();
    expect(result.Deleted!.map((d) => d.Key).sort()).toEqual([...keys].sort());
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "go/" }));
    expect((left.Contents ?? []).map((o) => o.Key)).toEqual(["go/complete", "go/kept"]);
  });

  it("PutObjectTagging › keys and values with references are stored byte-exact", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "go/tagged", Body: "t" }));
    const tags = [
      { Key: "it's", Value: 'say "hi"' },
      { Key: "a&b", Value: "x<y>z" },
      { Key: "ws", Value: "tab\tnew\nline" },
    ];
    const body = `<Tagging><TagSet>${tags.map((t) => `<Tag><Key>${goEscape(t.Key)}</Key><Value>${goEscape(t.Value)}</Value></Tag>`).join("")}</TagSet></Tagging>`;
    const response = await send("PUT", "/go/tagged?tagging", body);
    expect(response.status, await response.text()).toBe(200);
    const got = await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "go/tagged" }));
    expect(got.TagSet).toEqual(tags);
  });
});

/** Documents no S3 body may be: each a function of the operation's root and first child. */
const HOSTILE: Array<[name: string, document: (root: string, child: string) => string]> = [
  [
    "a billion laughs",
    (root) => {
      const levels = Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join("");
      return `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY lol0 "lol">${levels}]><${root}>&lol9;</${root}>`;
    },
  ],
  ["a 9 KB entity used 30,000 times", (root) => `<!DOCTYPE ${root} [<!ENTITY big "${"x".repeat(9 * 1024)}">]><${root}>${"&big;".repeat(30_000)}</${root}>`],
  ["an external entity naming a local file", (root) => `<?xml version="1.0"?><!DOCTYPE ${root} [<!ENTITY file SYSTEM "file:///etc/passwd">]><${root}>&file;</${root}>`],
  ["101 levels of nesting", (root, child) => `<${root}>${`<${child}>`.repeat(100)}${`</${child}>`.repeat(100)}</${root}>`],
  // short names keep the document (700 KB) under every body limit: it is the depth that is refused
  ["100,000 levels of nesting", (root) => `<${root}>${"<a>".repeat(99_999)}${"</a>".repeat(99_999)}</${root}>`],
  ["an element named __proto__", (root, child) => `<${root}><__proto__><${child}>polluted</${child}></__proto__></${root}>`],
  ["an element named constructor", (root, child) => `<${root}><constructor><prototype><${child}>polluted</${child}></prototype></constructor></${root}>`],
];

describe("hostile XML", () => {
  let uploadId: string;
  let part: { PartNumber?: number; ETag?: string } | undefined;

  beforeAll(async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "hostile/kept", Body: "kept" }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: bucket, Key: "hostile/kept", Tagging: { TagSet: [{ Key: "before", Value: "yes" }] } }));
    uploadId = await createUpload(bucket, "hostile/upload");
    [part] = await uploadParts(bucket, "hostile/upload", uploadId, [pattern(100, 9)]);
  });

  const operations = () =>
    [
      ["CompleteMultipartUpload", "POST", `/hostile/upload?uploadId=${encodeURIComponent(uploadId)}`, "CompleteMultipartUpload", "Part"],
      ["DeleteObjects", "POST", "?delete", "Delete", "Object"],
      ["PutObjectTagging", "PUT", "/hostile/kept?tagging", "Tagging", "TagSet"],
      ["PutBucketCors", "PUT", "?cors", "CORSConfiguration", "CORSRule"],
      ["PutBucketVersioning", "PUT", "?versioning", "VersioningConfiguration", "Status"],
      ["PutBucketNotificationConfiguration", "PUT", "?notification", "NotificationConfiguration", "QueueConfiguration"],
    ] as const;

  for (const [name, document] of HOSTILE) {
    it(`every XML body › ${name} is 400 MalformedXML`, { timeout: 30_000 }, async () => {
      for (const [operation, method, path, root, child] of operations()) {
        const response = await send(method, path, document(root, child));
        const error = await expectErrorDocument(response, 400, "MalformedXML");
        expect(error.Code, operation).toBe("MalformedXML");
      }
    });
  }

  it("every XML body › after the refusals, what is stored is as it was, and the bodies still work", async () => {
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: "hostile/kept" }))).TagSet).toEqual([{ Key: "before", Value: "yes" }]);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBeUndefined();
    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    expect(notification.QueueConfigurations ?? []).toEqual([]);
    const cors = await signer().fetch(`${endpoint()}/${bucket}?cors`);
    expect(cors.status).toBe(404);
    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "hostile/upload", UploadId: uploadId }));
    expect(parts.Parts?.map((p) => p.ETag)).toEqual([part!.ETag]);

    const complete = `<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>${goEscape(part!.ETag!)}</ETag></Part></CompleteMultipartUpload>`;
    expect((await send("POST", `/hostile/upload?uploadId=${encodeURIComponent(uploadId)}`, complete)).status).toBe(200);
    expect((await send("POST", "?delete", "<Delete><Object><Key>hostile/kept</Key></Object></Delete>")).status).toBe(200);
    expect(await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "hostile/kept" })))).toEqual({ code: "NoSuchKey", status: 404 });
  });
});
