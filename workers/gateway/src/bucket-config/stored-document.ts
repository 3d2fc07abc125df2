/**
 * A bucket configuration as its Durable Object keeps it (one JSON text per subresource) and as
 * S3 answers it: the document put last, else — never put — the kind's 2023 default, else
 * (deleted, or no default) none. The one place that reads and writes that text.
 */
import { unwrap } from "../../../../shared/s3-errors";
import type { XmlElement } from "../../../../shared/s3-xml";
import { bucketObject, type S3Context } from "../s3/context";
import type { ConfigKind } from "./config-kind";

export async function storedDocument(ctx: S3Context, kind: Pick<ConfigKind, "subresource" | "initial">): Promise<XmlElement | null> {
  const stored = unwrap(await bucketObject(ctx).getConfig(ctx.caller, kind.subresource));
  if (!stored.set) return kind.initial ?? null;
  return stored.document === null ? null : (JSON.parse(stored.document) as XmlElement);
}

/** A checked document as the Durable Object keeps it (also CreateBucket's, handlers/bucket.ts). */
export function storedText(document: XmlElement): string {
  return JSON.stringify(document);
}

/** Stores a checked document; null records that it was deleted. */
export async function storeDocument(ctx: S3Context, subresource: string, document: XmlElement | null): Promise<void> {
  unwrap(await bucketObject(ctx).setConfig(ctx.caller, subresource, document === null ? null : storedText(document)));
}
