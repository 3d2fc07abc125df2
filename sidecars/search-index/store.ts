/**
 * The search index's store: libSQL through drizzle — an embedded file under the data
 * directory by default (<data>/index/search.db), or a remote libSQL/Turso database when
 * MOCKS3_LIBSQL_URL is set (with MOCKS3_LIBSQL_AUTH_TOKEN). Migrations run before it serves.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createClient, type Client } from "@libsql/client";
import { and, count, desc, eq, lt } from "drizzle-orm";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { DeadLetter, IndexUpdate } from "../../shared/search-index/messages";
import { deadLetters, objectMetadata, objects, objectTags } from "./schema";

const MIGRATIONS = path.join(import.meta.dirname, "drizzle");

export interface StoreLocation {
  url: string;
  authToken?: string;
}

/** Where the index lives: MOCKS3_LIBSQL_URL, else a file in the data directory. */
export function storeLocation(dataDir: string, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  const url = env.MOCKS3_LIBSQL_URL?.trim();
  if (url) return { url, ...(env.MOCKS3_LIBSQL_AUTH_TOKEN ? { authToken: env.MOCKS3_LIBSQL_AUTH_TOKEN } : {}) };
  return { url: `file:${path.join(dataDir, "index", "search.db")}` };
}

export class IndexStore {
  private constructor(
    private readonly client: Client,
    readonly db: LibSQLDatabase,
  ) {}

  static async open(location: StoreLocation): Promise<IndexStore> {
    if (location.url.startsWith("file:")) await mkdir(path.dirname(location.url.slice("file:".length)), { recursive: true });
    const client = createClient(location);
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: MIGRATIONS });
    return new IndexStore(client, db);
  }

  /** Each key's current object in, or out when it has none; one transaction. */
  async apply({ bucket, objects: changed }: IndexUpdate): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async (tx) => {
      for (const [key, object] of Object.entries(changed)) {
        const where = (table: typeof objectTags | typeof objectMetadata) => and(eq(table.bucket, bucket), eq(table.key, key));
        await tx.delete(objectTags).where(where(objectTags));
        await tx.delete(objectMetadata).where(where(objectMetadata));
        if (!object) {
          await tx.delete(objects).where(and(eq(objects.bucket, bucket), eq(objects.key, key)));
          continue;
        }
        const tags = Object.fromEntries(object.tags.map((t) => [t.key, t.value]));
        const row = {
          bucket,
          key,
          versionId: object.versionId,
          size: object.size,
          etag: object.etag,
          contentType: object.contentType ?? null,
          lastModified: object.lastModified,
          userMetadata: object.userMetadata,
          tags,
          indexedAt: now,
        };
        await tx.insert(objects).values(row).onConflictDoUpdate({ target: [objects.bucket, objects.key], set: row });
        const tagRows = object.tags.map((t) => ({ bucket, key, name: t.key, value: t.value }));
        if (tagRows.length > 0) await tx.insert(objectTags).values(tagRows);
        const metadataRows = Object.entries(object.userMetadata).map(([name, value]) => ({ bucket, key, name, value }));
        if (metadataRows.length > 0) await tx.insert(objectMetadata).values(metadataRows);
      }
    });
  }

  async addDeadLetters(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db.insert(deadLetters).values(letters.map((l) => ({ ...l, configurationId: l.configurationId })));
  }

  /** Newest first; `before` pages on (an id from the previous page). */
  async listDeadLetters(options: { bucket?: string; limit: number; before?: number }) {
    const conditions = [options.bucket ? eq(deadLetters.bucket, options.bucket) : undefined, options.before ? lt(deadLetters.id, options.before) : undefined];
    return this.db.select().from(deadLetters).where(and(...conditions)).orderBy(desc(deadLetters.id)).limit(options.limit);
  }

  async counts(): Promise<{ objects: number; deadLetters: number }> {
    const [o] = await this.db.select({ n: count() }).from(objects);
    const [d] = await this.db.select({ n: count() }).from(deadLetters);
    return { objects: o?.n ?? 0, deadLetters: d?.n ?? 0 };
  }

  close(): void {
    this.client.close();
  }
}
