/**
 * The Get/Put/Delete operations of every stored bucket configuration (bucket-config/kinds.ts):
 * PUT checks the document and stores it in the bucket's Durable Object, GET reads it back (or
 * S3's answer for a bucket without one: its default document, or its 404), DELETE removes it.
 */
import { isFailure, S3Error, unwrap } from "../../../../shared/s3-errors";
import { requireIntegrityCheck } from "../body/integrity-check";
import { readBodyText } from "../body/read-body";
import { parseXml, type XmlRecord } from "../body/xml-body";
import type { ConfigKind } from "../bucket-config/config-kind";
import { CONFIG_KINDS } from "../bucket-config/kinds";
import { storedDocument, storeDocument } from "../bucket-config/stored-document";
import { bucketObject, type Handler, type S3Context, type S3Result } from "../s3/context";
import type { Operation } from "../s3/operations";

const MAX_DOCUMENT_BYTES = 256 * 1024;

async function getConfig(ctx: S3Context, kind: ConfigKind): Promise<S3Result> {
  const document = await storedDocument(ctx, kind);
  if (document !== null) return { xml: [kind.root, document] };
  if (typeof kind.unconfigured === "string") throw new S3Error(kind.unconfigured, undefined, { BucketName: ctx.bucket });
  return { xml: [kind.root, kind.unconfigured] };
}

async function putConfig(ctx: S3Context, kind: ConfigKind): Promise<S3Result> {
  if (kind.integrity) requireIntegrityCheck(ctx);
  const parsed = parseXml(await readBodyText(ctx, MAX_DOCUMENT_BYTES), kind.schema);
  const root = parsed?.[kind.root];
  if (root === undefined || Array.isArray(root)) throw new S3Error("MalformedXML");
  const { versioning } = unwrap(await bucketObject(ctx).describe(ctx.caller));
  const document = await kind.check(root === "" ? {} : (root as XmlRecord), {
    bucket: ctx.bucket,
    versioning,
    ownsBucket: async (name) => !isFailure(await bucketObject(ctx, name).describe(ctx.caller)),
  });
  await storeDocument(ctx, kind.subresource, document);
  return { status: kind.putStatus ?? 200 };
}

async function deleteConfig(ctx: S3Context, kind: ConfigKind): Promise<S3Result> {
  await storeDocument(ctx, kind.subresource, null);
  return { status: 204 };
}

/** Each configuration's operations and their handlers, for dispatch.ts. */
export function configHandlers(): Partial<Record<Operation, Handler>> {
  const handlers: Partial<Record<Operation, Handler>> = {};
  for (const kind of CONFIG_KINDS) {
    handlers[kind.get] = (ctx) => getConfig(ctx, kind);
    handlers[kind.put] = (ctx) => putConfig(ctx, kind);
    if (kind.delete) handlers[kind.delete] = (ctx) => deleteConfig(ctx, kind);
  }
  return handlers;
}
