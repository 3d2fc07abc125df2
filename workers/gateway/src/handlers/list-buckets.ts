/** ListBuckets: the caller's buckets, with S3's optional prefix, max-buckets and continuation-token. */
import { S3Error } from "../../../../shared/s3-errors";
import { registry, type S3Context, type S3Result } from "../s3/context";
import { ownerElement } from "../s3/owner";
import { decodeToken, encodeToken } from "../s3/continuation-token";

const MAX_BUCKETS = 10_000;

export async function listBuckets(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const limit = q.has("max-buckets") ? Number(q.get("max-buckets")) : MAX_BUCKETS;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_BUCKETS) {
    throw new S3Error("InvalidArgument", "max-buckets must be an integer from 1 to 10000.", { ArgumentName: "max-buckets" });
  }
  const prefix = q.get("prefix") ?? undefined;
  const token = q.get("continuation-token");
  const after = token === null ? undefined : decodeToken(token);
  const rows = await registry(ctx.env).list({ ownerId: ctx.caller.ownerId, prefix, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const regionFilter = q.get("bucket-region");
  return {
    xml: [
      "ListAllMyBucketsResult",
      {
        Owner: ownerElement(ctx.identity),
        Buckets: {
          Bucket: page
            .filter((b) => !regionFilter || b.region === regionFilter)
            .map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt).toISOString(), BucketRegion: b.region })),
        },
        ContinuationToken: rows.length > limit ? encodeToken(page[page.length - 1]!.name) : undefined,
        Prefix: prefix,
      },
    ],
  };
}
