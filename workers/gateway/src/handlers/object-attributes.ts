/**
 * GetObjectAttributes: what `x-amz-object-attributes` names (ETag, Checksum, ObjectParts,
 * StorageClass, ObjectSize) of a version, the latest by default, without its bytes. The
 * attributes of an SSE-C object need its key, as a GET does.
 */
import type { ObjectRecord } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { keyForRead } from "../s3/customer-key";
import { versionIdOf } from "../s3/version-id";

const ATTRIBUTES = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"] as const;
type Attribute = (typeof ATTRIBUTES)[number];

export async function getObjectAttributes(ctx: S3Context): Promise<S3Result> {
  const wanted = attributesOf(ctx.request.headers.get("x-amz-object-attributes"));
  const record = unwrap(await bucketObject(ctx).getObject(ctx.caller, ctx.key, { versionId: versionIdOf(ctx.target.query), withData: false }));
  keyForRead(record.encryption, ctx.request.headers);
  const headers: Record<string, string> = { "last-modified": new Date(record.lastModified).toUTCString() };
  if (record.versioned) headers["x-amz-version-id"] = record.versionId;
  const content: XmlElement = {};
  for (const attribute of ATTRIBUTES) if (wanted.has(attribute)) content[attribute] = VALUES[attribute](record);
  return { headers, xml: ["GetObjectAttributesResponse", content] };
}

/** The header's comma-separated names, each one S3 knows; InvalidArgument otherwise, as S3. */
function attributesOf(header: string | null): Set<Attribute> {
  const names = (header ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) throw new S3Error("InvalidArgument", "x-amz-object-attributes header specifying the attributes to be retrieved is either missing or empty");
  const unknown = names.find((name) => !(ATTRIBUTES as readonly string[]).includes(name));
  if (unknown !== undefined) throw new S3Error("InvalidArgument", "Invalid attribute name specified.", { ArgumentName: "x-amz-object-attributes", ArgumentValue: unknown });
  return new Set(names as Attribute[]);
}

const VALUES: Record<Attribute, (record: ObjectRecord) => XmlElement[string]> = {
  // unquoted here, unlike in headers and listings
  ETag: (record) => record.etag.replace(/^"|"$/g, ""),
  Checksum: (record) => (record.checksum ? { [`Checksum${record.checksum.algorithm}`]: record.checksum.value, ChecksumType: record.checksum.type ?? "FULL_OBJECT" } : undefined),
  // the SDKs' TotalPartsCount is PartsCount on the wire
  ObjectParts: (record) => (record.partsCount ? { PartsCount: record.partsCount } : undefined),
  StorageClass: (record) => record.storageClass ?? "STANDARD",
  ObjectSize: (record) => record.size,
};
