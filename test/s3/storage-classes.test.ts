/**
 * Storage classes through the JS SDK: stored, answered and listed; an archived (GLACIER,
 * DEEP_ARCHIVE) object refused until RestoreObject, which completes after the tier's wait
 * (Expedited: a fifth of MOCKS3_RESTORE_SECONDS, 1 s by default), then read.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutObjectCommand,
  RestoreObjectCommand,
  type StorageClass,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, it } from "vitest";
import { expectErrorDocument } from "../helpers/error-document";
import { objectPathUrl } from "../helpers/object-bodies";
import { newBucket, s3Client, s3Error, signer } from "../helpers/s3";

const s3 = s3Client();
let bucket: string;

beforeAll(async () => {
  bucket = await newBucket("storage-classes");
});

const CLASSES: StorageClass[] = ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"];

function restore(key: string, tier: "Expedited" | "Standard" | "Bulk" = "Expedited", days = 1) {
  return s3.send(new RestoreObjectCommand({ Bucket: bucket, Key: key, RestoreRequest: { Days: days, GlacierJobParameters: { Tier: tier } } }));
}

async function restoredWithin(key: string, ms: number): Promise<string | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const { Restore } = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (Restore?.startsWith('ongoing-request="false"') || Date.now() > until) return Restore;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("storage classes", () => {
  it("storage class › every class is stored, answered on HEAD (not STANDARD) and listed", async () => {
    for (const StorageClass of CLASSES) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `classes/${StorageClass}`, Body: "x", StorageClass }));
    for (const storageClass of CLASSES) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `classes/${storageClass}` }));
      expect(head.StorageClass).toBe(storageClass === "STANDARD" ? undefined : storageClass);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "classes/" }));
    expect(Object.fromEntries(listed.Contents!.map((o) => [o.Key, o.StorageClass]))).toEqual(Object.fromEntries(CLASSES.map((c) => [`classes/${c}`, c])));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: "classes/GLACIER_IR" }));
    expect(versions.Versions?.[0]?.StorageClass).toBe("GLACIER_IR");
  });

  it("storage class › an unknown class is InvalidStorageClass and stores nothing", async () => {
    const response = await signer().fetch(objectPathUrl(bucket, "bad-class"), { method: "PUT", body: "x", headers: { "x-amz-storage-class": "COLD" } });
    const error = await expectErrorDocument(response, 400, "InvalidStorageClass");
    expect(error.StorageClassRequested).toBe("COLD");
    expect((await s3Error(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "bad-class" })))).status).toBe(404);
  });

  it("archive › a GLACIER object is refused with InvalidObjectState until restored, then read; a second restore waits its turn", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "frozen", Body: "thawed bytes", StorageClass: "GLACIER" }));
    const refused = await signer().fetch(objectPathUrl(bucket, "frozen"));
    expect((await expectErrorDocument(refused, 403, "InvalidObjectState")).StorageClass).toBe("GLACIER");
    const copy = await s3Error(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "frozen-copy", CopySource: `${bucket}/frozen` })));
    expect(copy).toEqual({ code: "InvalidObjectState", status: 403 });
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "frozen" }))).Restore).toBeUndefined();

    const started = await restore("frozen");
    expect(started.$metadata.httpStatusCode).toBe(202);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "frozen" }))).Restore).toBe('ongoing-request="true"');
    expect(await s3Error(restore("frozen"))).toEqual({ code: "RestoreAlreadyInProgress", status: 409 });
    expect((await s3Error(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "frozen" })))).code).toBe("InvalidObjectState");

    const done = await restoredWithin("frozen", 10_000);
    const expiry = /expiry-date="([^"]+)"/.exec(done ?? "")?.[1];
    expect(done).toMatch(/^ongoing-request="false", expiry-date="/);
    // a day from when the copy became readable: MOCKS3_LIFECYCLE_DAY_SECONDS (86400)
    expect(Date.parse(expiry!) - Date.now()).toBeGreaterThan(86_000_000);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "frozen" }));
    expect(await got.Body!.transformToString()).toBe("thawed bytes");
    expect(got.StorageClass).toBe("GLACIER");
    const again = await restore("frozen", "Standard", 3);
    expect(again.$metadata.httpStatusCode).toBe(200);
    const later = /expiry-date="([^"]+)"/.exec((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "frozen" }))).Restore ?? "")?.[1];
    expect(Date.parse(later!) - Date.parse(expiry!)).toBeGreaterThan(86_000_000);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "frozen-copy", CopySource: `${bucket}/frozen` }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "frozen-copy" }))).StorageClass).toBeUndefined(); // a copy is STANDARD unless asked
  });

  it("archive › RestoreObject refuses objects that are not archived, DEEP_ARCHIVE at the Expedited tier, and bad requests", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "warm", Body: "x", StorageClass: "GLACIER_IR" }));
    expect(await s3Error(restore("warm"))).toEqual({ code: "InvalidObjectState", status: 403 });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "warm" }))).Body!.transformToString()).toBe("x");
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "deep", Body: "x", StorageClass: "DEEP_ARCHIVE" }));
    expect(await s3Error(restore("deep", "Expedited"))).toEqual({ code: "InvalidArgument", status: 400 });
    expect((await restore("deep", "Bulk")).$metadata.httpStatusCode).toBe(202);
    expect(await s3Error(restore("missing"))).toEqual({ code: "NoSuchKey", status: 404 });
    const noDays = await signer().fetch(objectPathUrl(bucket, "deep", "?restore"), {
      method: "POST",
      body: "<RestoreRequest><GlacierJobParameters><Tier>Bulk</Tier></GlacierJobParameters></RestoreRequest>",
    });
    await expectErrorDocument(noDays, 400, "MalformedXML");
  });

  it("multipart › CreateMultipartUpload's class is the parts' listing's and the completed object's", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "parts", StorageClass: "STANDARD_IA" }));
    const part = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "parts", UploadId, PartNumber: 1, Body: "only part" }));
    expect((await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "parts", UploadId }))).StorageClass).toBe("STANDARD_IA");
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "parts", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "parts" }))).StorageClass).toBe("STANDARD_IA");
  });
});
