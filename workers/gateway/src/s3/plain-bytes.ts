/**
 * An object's bytes `[start, end)` in the clear, for a GET or a copy: the stored bytes as
 * object-bytes.ts reads them (inline, or streamed blob by blob) and, for an SSE-C object,
 * each piece decrypted with the keystream of the part its blob was written as
 * (body/ctr-cipher.ts). Pieces may start anywhere and may span blobs.
 */
import type { CustomerKeyUse, ObjectRecord } from "../../../../shared/records";
import { S3Error } from "../../../../shared/s3-errors";
import type { CtrCipher, PieceCipher } from "../body/ctr-cipher";
import type { S3Context } from "./context";
import { cipherOf, partNumberOfBlob, type CustomerKey } from "./customer-key";
import { objectBytes } from "./object-bytes";
import { concat } from "../body/byte-reader";

type Bytes = Uint8Array | ReadableStream<Uint8Array>;

/** `key`: the one keyForRead (customer-key.ts) found right for the object; none without SSE-C. */
export function plainBytes(ctx: S3Context, record: ObjectRecord, start: number, end: number, key: CustomerKey | undefined): Promise<Bytes> {
  const use = record.encryption?.customer;
  if (!use) return objectBytes(ctx, record, start, end); // not a step more than before SSE-C
  if (!key) throw new S3Error("InternalError", "An SSE-C object's bytes were asked for without its key.");
  return decrypted(ctx, record, start, end, use, cipherOf(key, use));
}

async function decrypted(ctx: S3Context, record: ObjectRecord, start: number, end: number, use: CustomerKeyUse, cipher: CtrCipher): Promise<Bytes> {
  const stored = await objectBytes(ctx, record, start, end);
  const decrypt = objectDecryptor(cipher, use, record, start);
  if (stored instanceof Uint8Array) return decrypt(stored);
  // A FixedLengthStream, as object-bytes.ts answers, keeps Content-Length on the answer.
  const { readable, writable } = new FixedLengthStream(end - start);
  const decrypting = new TransformStream<Uint8Array, Uint8Array>({ transform: async (piece, controller) => controller.enqueue(await decrypt(piece)) });
  ctx.waitUntil(
    stored
      .pipeThrough(decrypting)
      .pipeTo(writable)
      .catch(() => undefined),
  );
  return readable;
}

/** Decrypts the object's bytes from `start` on, piece after piece, each part with its own keystream. */
function objectDecryptor(cipher: CtrCipher, use: CustomerKeyUse, record: ObjectRecord, start: number): PieceCipher {
  // where each part (blob) begins in the object; an inline object is one part
  const sizes = record.blobs.length > 0 ? record.blobs.map((blob) => blob.size) : [record.size];
  const starts: number[] = [];
  let total = 0;
  for (const size of sizes) {
    starts.push(total);
    total += size;
  }
  let position = start;
  let index = 0; // the blob that holds byte `position`; positions only grow
  return async (piece) => {
    const out: Uint8Array[] = [];
    let done = 0;
    while (done < piece.byteLength) {
      while (index < sizes.length - 1 && position >= starts[index]! + sizes[index]!) index++;
      const take = Math.min(piece.byteLength - done, starts[index]! + sizes[index]! - position);
      if (take <= 0) throw new Error("more bytes than the object holds");
      out.push(await cipher.apply(partNumberOfBlob(use, index), position - starts[index]!, piece.subarray(done, done + take)));
      done += take;
      position += take;
    }
    return out.length === 1 ? out[0]! : concat(out, piece.byteLength);
  };
}
