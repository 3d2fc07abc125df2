/** ListBuckets: the caller's buckets, with S3's optional prefix, max-buckets and continuation-token. */
import { S3Error } from "../../../../shared/s3-errors";
import { registry, type S3Context, type S3Result } from "../s3/context";
import { ownerElement } from "../s3/owner";
import { decodeToken, encodeToken } from "../s3/continuation-token";

const MAX_BUCKETS = 10_000;

export async function listBuckets(ctx: S3Context): Promise<S3Result> {
  const q = ctx.target.query;
  const raw = q.get("max-buckets");
  const limit = raw === null ? MAX_BUCKETS : /^\d{1,5}$/.test(raw) ? Number(raw) : 0;
  if (limit < 1 || limit > MAX_BUCKETS) {
    throw new S3Error("InvalidArgument", "max-buckets must be an integer from 1 to 10000.", { ArgumentName: "max-buckets", ArgumentValue: raw ?? "" });
  }
  const prefix = q.get("prefix") ?? undefined;
  const token = q.get("continuation-token");
  const after = token === null ? undefined : decodeToken(token);
  // the region filter applies before paging, so a page is never emptied after the fact
  const region = q.get("bucket-region") || undefined;
  const rows = await registry(ctx.env).list({ ownerId: ctx.caller.ownerId, prefix, region, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  return {
    xml: [
      "ListAllMyBucketsResult",
      {
        Owner: ownerElement(ctx.identity),
        Buckets: { Bucket: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt).toISOString(), BucketRegion: b.region })) },
        ContinuationToken: rows.length > limit ? encodeToken(page[page.length - 1]!.name) : undefined,
        Prefix: prefix,
      },
    ],
  };
}
