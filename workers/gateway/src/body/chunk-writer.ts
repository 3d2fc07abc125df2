/**
 * Writes one blob's chunks for ingest.ts. With blob files (shared/blob-files.ts) the gateway
 * writes each chunk's file itself on the nodes storage-service placed it on: a body of
 * declared length is placed whole in one call before its first chunk (the nodes take its
 * room at once), one of unknown length chunk by chunk. Without blob files each chunk goes
 * to storage-service.
 */
import { blobFilesOf, type BlobFiles } from "../../../../shared/blob-files";
import { CHUNK_SIZE } from "../../../../shared/blob-layout";
import type { BlobRef } from "../../../../shared/records";
import { S3Error, unwrap } from "../../../../shared/s3-errors";
import type { S3Context } from "../s3/context";

interface Placement {
  nodes: string[];
  length: number;
}

export class ChunkWriter {
  private constructor(
    private readonly ctx: S3Context,
    readonly blob: BlobRef,
    private readonly files: BlobFiles | undefined,
    /** where every chunk goes, when the whole declared length was placed at once */
    private readonly placed: Placement | undefined,
  ) {}

  /** A new blob, placed whole when its length is known. */
  static async begin(ctx: S3Context, declaredLength: number | undefined): Promise<ChunkWriter> {
    const blob = await ctx.env.STORAGE.begin();
    const files = blobFilesOf(ctx.env);
    if (!files || declaredLength === undefined) return new ChunkWriter(ctx, blob, files, undefined);
    const nodes = unwrap(await ctx.env.STORAGE.reserve(blob, 0, chunkSizes(declaredLength), ctx.faultFacts));
    return new ChunkWriter(ctx, blob, files, { nodes, length: declaredLength });
  }

  async write(idx: number, bytes: Uint8Array): Promise<void> {
    const { ctx, files, blob, placed } = this;
    if (!files) return void unwrap(await ctx.env.STORAGE.write(blob, idx, [bytes], ctx.faultFacts));
    if (placed && idx * CHUNK_SIZE + bytes.byteLength > placed.length) {
      throw new S3Error("IncompleteBody", `The body had more than the ${placed.length} bytes declared.`);
    }
    const nodes = placed?.nodes ?? unwrap(await ctx.env.STORAGE.reserve(blob, idx, [bytes.byteLength], ctx.faultFacts));
    await files.putOnNodes(nodes, blob.id, idx, bytes);
  }
}

/** The sizes of the chunks a body of `length` bytes is cut into. */
function chunkSizes(length: number): number[] {
  const sizes: number[] = [];
  for (let offset = 0; offset < length; offset += CHUNK_SIZE) sizes.push(Math.min(CHUNK_SIZE, length - offset));
  return sizes;
}
