/**
 * CopyObject: the source's bytes copied inside storage-service (never through the gateway,
 * unless SSE-C changes them), its metadata kept (COPY) or replaced from the request
 * (REPLACE), its tags likewise with `x-amz-tagging-directive`. `x-amz-copy-source-if-*` are
 * checked against the source. A copy onto itself must change something (REPLACE).
 *
 * The copy always gets bytes of its own, also onto itself (as S3 writes a new version): a
 * write that fails its condition discards the new record's bytes, and a PUT racing the copy
 * releases the bytes it replaces — either would otherwise take the live object's bytes.
 *
 * An SSE-C source is read with `x-amz-copy-source-server-side-encryption-customer-*`; the
 * copy is encrypted as the request asks (SSE-C, x-amz-server-side-encryption, or the bucket's
 * default), its bytes re-encrypted when that changes them (copy-bytes.ts). A copy onto itself
 * that sets an SSE-C key changes its encryption, and needs no REPLACE.
 */
import type { NewObject, ObjectRecord } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../s3/context";
import { checkConditions, readConditions } from "../s3/conditions";
import { contentHeadersFrom, userMetadataFrom } from "../s3/object-headers";
import { tagsFromHeader } from "../s3/tags";
import { aclRequestFromHeaders } from "../s3/acl-request";
import { COPY_SOURCE_HEADERS, keyForRead, writeEncryptionOf } from "../s3/customer-key";
import { encryptionHeaders } from "../s3/encryption";
import { lockFromHeaders } from "../s3/object-lock";
import { assertReadable, storageClassFrom } from "../s3/storage-class";
import { versionIdOf } from "../s3/version-id";
import { copyBytes } from "./copy-bytes";
import { commitObject, versionHeaders, writeConditionOf } from "./object-writes";
import { MAX_PUT_SIZE } from "./put-object";
import { sourceCaller } from "../s3/access-context";

export async function copyObject(ctx: S3Context): Promise<S3Result> {
  const headers = ctx.request.headers;
  const aclRequest = aclRequestFromHeaders(headers);
  const source = parseCopySource(headers.get("x-amz-copy-source")!);
  const metadataDirective = directive(headers, "x-amz-metadata-directive");
  const taggingDirective = directive(headers, "x-amz-tagging-directive");
  // Copying an older version onto its own key restores it, and needs no REPLACE.
  const sameObject = source.bucket === ctx.bucket && source.key === ctx.key && source.versionId === undefined;
  const destination = writeEncryptionOf(headers);
  if (sameObject && metadataDirective === "COPY" && !headers.has("x-amz-storage-class") && !destination.cipher) {
    throw new S3Error(
      "InvalidRequest",
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const condition = writeConditionOf(headers);
  // the copy is STANDARD unless the request names a class, as on S3
  const storageClass = storageClassFrom(headers);
  const lock = lockFromHeaders(headers);
  const original = unwrap(
    await bucketObject(ctx, source.bucket).getObject(sourceCaller(ctx.caller, source.key, source.versionId, headers), source.key, { versionId: source.versionId, withData: true }),
  );
  const sourceKey = keyForRead(original.encryption, headers, COPY_SOURCE_HEADERS);
  checkConditions(original, readConditions(headers, "x-amz-copy-source-"), false);
  assertReadable(original);
  if (original.size > MAX_PUT_SIZE) {
    throw new S3Error("InvalidRequest", `The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}`);
  }

  const { blobs, data, encryption } = await copyBytes(ctx, original, sourceKey, destination);
  const object: NewObject = {
    ...(metadataDirective === "COPY" ? copiedContent(original) : { ...contentHeadersFrom(headers), userMetadata: userMetadataFrom(headers) }),
    key: ctx.key,
    size: original.size,
    etag: original.etag,
    lastModified: Date.now(),
    blobs,
    tags: taggingDirective === "COPY" ? original.tags : tagsFromHeader(headers.get("x-amz-tagging")),
  };
  if (data) object.data = data;
  if (original.checksum) object.checksum = original.checksum;
  if (original.partsCount) object.partsCount = original.partsCount;
  if (storageClass) object.storageClass = storageClass;
  if (lock) object.lock = lock;
  if (encryption) object.encryption = encryption;
  if (aclRequest) object.aclRequest = aclRequest;
  const outcome = await commitObject(ctx, object, condition, "Copy");
  const answer = { ...versionHeaders(outcome), ...encryptionHeaders(outcome.encryption) };
  if (original.versioned) answer["x-amz-copy-source-version-id"] = original.versionId;
  return { headers: answer, xml: ["CopyObjectResult", { ETag: object.etag, LastModified: new Date(object.lastModified).toISOString() }] };
}

/** `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded. */
export function parseCopySource(value: string): { bucket: string; key: string; versionId?: string } {
  const [path, query] = value.split("?", 2) as [string, string | undefined];
  const versionId = query === undefined ? undefined : versionIdOf(new URLSearchParams(query));
  let decoded: string;
  try {
    decoded = decodeURIComponent(path.startsWith("/") ? path.slice(1) : path);
  } catch {
    throw new S3Error("InvalidArgument", "Invalid copy source encoding", { ArgumentName: "x-amz-copy-source" });
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) {
    throw new S3Error("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey", { ArgumentName: "x-amz-copy-source" });
  }
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId === undefined ? {} : { versionId }) };
}

function directive(headers: Headers, name: string): "COPY" | "REPLACE" {
  const value = (headers.get(name) ?? "COPY").toUpperCase();
  if (value !== "COPY" && value !== "REPLACE") throw new S3Error("InvalidArgument", `Unknown ${name}`, { ArgumentName: name, ArgumentValue: value });
  return value;
}

function copiedContent(o: ObjectRecord) {
  const { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, userMetadata } = o;
  return { contentType, contentEncoding, contentDisposition, contentLanguage, cacheControl, expires, userMetadata };
}
