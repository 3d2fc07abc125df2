/** AbortMultipartUpload: the upload ends and every part's bytes are released (204). */
import { unwrap } from "../../../../../shared/s3-errors";
import { bucketObject, type S3Context, type S3Result } from "../../s3/context";
import { release } from "../object-writes";
import { uploadIdOf } from "./part-writes";

export async function abortMultipartUpload(ctx: S3Context): Promise<S3Result> {
  const aborted = unwrap(await bucketObject(ctx).abortUpload(ctx.caller, uploadIdOf(ctx.target.query), ctx.key));
  release(ctx, aborted.released);
  return { status: 204 };
}
