/**
 * The upstream store: one Durable Object (named "upstreams") holding, per local bucket, the
 * upstream S3 source it reads through from. Upstreams arrive checked (third-party-service's
 * API validates them); this object keeps them. `find` is the only method that returns the
 * secret, for third-party-service's own signed requests; the views never carry it.
 */
import { asc, eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { Upstream, UpstreamView } from "../../shared/upstreams";
import { openDatabase } from "../../shared/durable-database";
import { TracedDurableObject } from "../traced-object";
import migrations from "./drizzle/migrations.js";
import { upstreams } from "./schema";

type Row = typeof upstreams.$inferSelect;

export class UpstreamsDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "third-party-service";

  private readonly db: DrizzleSqliteDODatabase;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations);
  }

  /** Sets the upstream of `bucket`; whether it replaced one. */
  put(bucket: string, upstream: Upstream): { view: UpstreamView; replaced: boolean } {
    const now = new Date().toISOString();
    const old = this.row(bucket);
    const row: Row = {
      bucket,
      endpoint: upstream.endpoint,
      upstreamBucket: upstream.bucket,
      region: upstream.region,
      accessKeyId: upstream.access_key_id,
      secretAccessKey: upstream.secret_access_key,
      forcePathStyle: upstream.force_path_style,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    };
    this.db.insert(upstreams).values(row).onConflictDoUpdate({ target: upstreams.bucket, set: row }).run();
    return { view: viewOf(row), replaced: old !== undefined };
  }

  /** The upstream of `bucket` with its secret, or null. */
  find(bucket: string): Upstream | null {
    const row = this.row(bucket);
    return row ? upstreamOf(row) : null;
  }

  get(bucket: string): UpstreamView | null {
    const row = this.row(bucket);
    return row ? viewOf(row) : null;
  }

  list(): UpstreamView[] {
    return this.db.select().from(upstreams).orderBy(asc(upstreams.bucket)).all().map(viewOf);
  }

  remove(bucket: string): boolean {
    return this.db.delete(upstreams).where(eq(upstreams.bucket, bucket)).returning({ bucket: upstreams.bucket }).all().length > 0;
  }

  private row(bucket: string): Row | undefined {
    return this.db.select().from(upstreams).where(eq(upstreams.bucket, bucket)).get();
  }
}

function upstreamOf(row: Row): Upstream {
  return {
    endpoint: row.endpoint,
    bucket: row.upstreamBucket,
    region: row.region,
    access_key_id: row.accessKeyId,
    secret_access_key: row.secretAccessKey,
    force_path_style: row.forcePathStyle,
  };
}

function viewOf(row: Row): UpstreamView {
  const { secret_access_key: _secret, ...shown } = upstreamOf(row);
  return { local_bucket: row.bucket, ...shown, created_at: row.createdAt, updated_at: row.updatedAt };
}
