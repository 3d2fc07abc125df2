/**
 * CopyObject's bytes. Stored as they are wherever the copy's bytes stay what they were —
 * neither side SSE-C, or both with the same key (the copy then keeps the source's nonce and
 * part numbers, so its stored bytes decrypt as the source's did): copies of the source's
 * blobs made inside storage-service, never through the gateway. Otherwise (SSE-C on one
 * side only, or two keys) each blob is read through the gateway, decrypted with the source's
 * key, and ingested as a new blob, encrypted with the destination's: the copy keeps the
 * source's parts, one blob each, as part 1, 2… (a single PUT's as part 0).
 */
import type { BlobRef, NewObject, ObjectRecord, ServerSideEncryption } from "../../../../shared/records";
import { unwrap } from "../../../../shared/s3-errors";
import { discard, ingest } from "../body/ingest";
import { bytesSource } from "../body/stream-pieces";
import { inlineBytesHop } from "../faults/hops";
import type { S3Context } from "../s3/context";
import type { CustomerKey, WriteEncryption } from "../s3/customer-key";
import { plainBytes } from "../s3/plain-bytes";

export type CopiedBytes = Pick<NewObject, "blobs" | "data" | "encryption">;

/** The copy's bytes and its encryption; `sourceKey` opens an SSE-C source. */
export async function copyBytes(ctx: S3Context, original: ObjectRecord, sourceKey: CustomerKey | undefined, destination: WriteEncryption): Promise<CopiedBytes> {
  const from = original.encryption?.customer;
  const to = destination.encryption?.customer;
  if (!from && !to) return copied(ctx, original, destination.encryption);
  if (from && to && from.keyMd5 === to.keyMd5) return copied(ctx, original, { ...destination.encryption!, customer: { ...from } });
  return recrypted(ctx, original, sourceKey, destination);
}

/** The source's stored bytes, copied as they are. */
async function copied(ctx: S3Context, original: ObjectRecord, encryption: ServerSideEncryption | undefined): Promise<CopiedBytes> {
  const bytes: CopiedBytes = { blobs: await copyBlobs(ctx, original.blobs) };
  if (original.data) {
    await inlineBytesHop(ctx); // storage-service's, as copyBlobs meets it for a larger object
    bytes.data = original.data;
  }
  if (encryption) bytes.encryption = encryption;
  return bytes;
}

/** Copies of the source's blobs, made inside storage-service; none left behind on failure. */
async function copyBlobs(ctx: S3Context, blobs: BlobRef[]): Promise<BlobRef[]> {
  const copies: BlobRef[] = [];
  try {
    // Storage nodes short of room answer a Failure (ServiceUnavailable or EntityTooLarge).
    for (const blob of blobs) copies.push(unwrap(await ctx.env.STORAGE.copy(blob, ctx.faultFacts)));
  } catch (error) {
    discard(ctx, copies);
    throw error;
  }
  return copies;
}

/** The source's bytes in the clear, each part ingested again under the destination's encryption. */
async function recrypted(ctx: S3Context, original: ObjectRecord, sourceKey: CustomerKey | undefined, destination: WriteEncryption): Promise<CopiedBytes> {
  const { encryption, cipher } = destination;
  const multipart = original.partsCount !== undefined || original.blobs.length > 1;
  const partOf = (index: number) => (multipart ? index + 1 : 0);
  const bytes: CopiedBytes = { blobs: [] };
  if (encryption) bytes.encryption = encryption.customer && multipart ? { ...encryption, customer: { ...encryption.customer, parts: original.blobs.map((_, i) => partOf(i)) } } : encryption;
  const read = (start: number, end: number) => plainBytes(ctx, original, start, end, sourceKey);
  if (original.data) {
    const read0 = await read(0, original.size); // through storage-service's fault gate (object-bytes.ts)
    const plain = read0 instanceof Uint8Array ? read0 : new Uint8Array(await new Response(read0).arrayBuffer());
    bytes.data = cipher ? await cipher.apply(0, 0, plain) : plain;
    return bytes;
  }
  let offset = 0;
  try {
    for (const [index, blob] of original.blobs.entries()) {
      const source = bytesSource(await read(offset, offset + blob.size));
      const encrypt = cipher?.sequence(partOf(index));
      const body = await ingest(ctx, { length: blob.size }, encrypt ? { asBlob: true, source, encrypt } : { asBlob: true, source });
      bytes.blobs.push(...body.blobs);
      offset += blob.size;
    }
  } catch (error) {
    discard(ctx, bytes.blobs);
    throw error;
  }
  return bytes;
}
