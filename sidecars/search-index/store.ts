/**
 * The search index's store: libSQL through drizzle — an embedded file under the data
 * directory by default (<data>/index/search.db), or a remote libSQL/Turso database when
 * MOCKS3_LIBSQL_URL is set (with MOCKS3_LIBSQL_AUTH_TOKEN). Migrations run before it serves.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { createClient, type Client, type InStatement } from "@libsql/client";
import { and, count, desc, eq, lt } from "drizzle-orm";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { DeadLetter, IndexUpdate } from "../../shared/search-index/messages";
import { deadLetters, objects } from "./schema";

// from the repository root: this module also runs bundled, from .build/node (see start.mjs)
const MIGRATIONS = path.join(import.meta.dirname, "../..", "sidecars/search-index/drizzle");

const DELETE_TAGS = "DELETE FROM object_tags WHERE bucket = ? AND key = ?";
const DELETE_METADATA = "DELETE FROM object_metadata WHERE bucket = ? AND key = ?";
const DELETE_OBJECT = "DELETE FROM objects WHERE bucket = ? AND key = ?";
const UPSERT_OBJECT =
  "INSERT INTO objects (bucket, key, version_id, size, etag, content_type, last_modified, user_metadata, tags, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) " +
  "ON CONFLICT (bucket, key) DO UPDATE SET version_id = excluded.version_id, size = excluded.size, etag = excluded.etag, content_type = excluded.content_type, " +
  "last_modified = excluded.last_modified, user_metadata = excluded.user_metadata, tags = excluded.tags, indexed_at = excluded.indexed_at";
const INSERT_TAG = "INSERT INTO object_tags (bucket, key, name, value) VALUES (?, ?, ?, ?)";
const INSERT_METADATA = "INSERT INTO object_metadata (bucket, key, name, value) VALUES (?, ?, ?, ?)";

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
    // an embedded file: write-ahead log, synced at checkpoints (safe when the process dies; a power cut may lose the last batches)
    if (location.url.startsWith("file:")) await client.executeMultiple("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: MIGRATIONS });
    return new IndexStore(client, db);
  }

  /**
   * Each key's current object in, or out when it has none: one batch, which libSQL runs as one
   * transaction. Plain SQL on drizzle's tables (schema.ts): this runs for every object write,
   * and building each statement with drizzle cost most of the sidecar's CPU under load.
   */
  async apply({ bucket, objects: changed }: IndexUpdate): Promise<void> {
    const now = Date.now();
    const statements: InStatement[] = [];
    for (const [key, object] of Object.entries(changed)) {
      statements.push({ sql: DELETE_TAGS, args: [bucket, key] }, { sql: DELETE_METADATA, args: [bucket, key] });
      if (!object) {
        statements.push({ sql: DELETE_OBJECT, args: [bucket, key] });
        continue;
      }
      const tags = Object.fromEntries(object.tags.map((t) => [t.key, t.value]));
      const args = [bucket, key, object.versionId, object.size, object.etag, object.contentType ?? null, object.lastModified, JSON.stringify(object.userMetadata), JSON.stringify(tags), now];
      statements.push({ sql: UPSERT_OBJECT, args });
      for (const t of object.tags) statements.push({ sql: INSERT_TAG, args: [bucket, key, t.key, t.value] });
      for (const [name, value] of Object.entries(object.userMetadata)) statements.push({ sql: INSERT_METADATA, args: [bucket, key, name, value] });
    }
    if (statements.length > 0) await this.client.batch(statements, "write");
  }

  async addDeadLetters(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.db.insert(deadLetters).values(letters);
  }

  /** Newest first; `before` pages on (an id from the previous page). */
  async listDeadLetters(options: { bucket?: string; limit: number; before?: number }) {
    const conditions = [options.bucket ? eq(deadLetters.bucket, options.bucket) : undefined, options.before ? lt(deadLetters.id, options.before) : undefined];
    return this.db
      .select()
      .from(deadLetters)
      .where(and(...conditions))
      .orderBy(desc(deadLetters.id))
      .limit(options.limit);
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
