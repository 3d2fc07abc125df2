/** Runs a search (search-query.ts) against the index: one page, in bucket and key order. */
import { and, asc, eq, exists, gt, gte, lt, lte, or, sql, type AnyColumn, type SQL } from "drizzle-orm";
import type { IndexStore } from "./store";
import { objectMetadata, objects, objectTags } from "./schema";
import { cursorOf, type SearchQuery } from "./search-query";

export interface SearchHit {
  bucket: string;
  key: string;
  size: number;
  etag: string;
  version_id: string;
  content_type: string | null;
  last_modified: string;
  user_metadata: Record<string, string>;
  tags: Record<string, string>;
}

export interface SearchPage {
  objects: SearchHit[];
  count: number;
  truncated: boolean;
  next_cursor?: string;
}

export async function search(store: IndexStore, query: SearchQuery): Promise<SearchPage> {
  const rows = await store.db
    .select()
    .from(objects)
    .where(and(...conditions(store, query)))
    .orderBy(asc(objects.bucket), asc(objects.key))
    .limit(query.limit + 1);
  const truncated = rows.length > query.limit;
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    objects: page.map((row) => ({
      bucket: row.bucket,
      key: row.key,
      size: row.size,
      etag: row.etag,
      version_id: row.versionId,
      content_type: row.contentType,
      last_modified: new Date(row.lastModified).toISOString(),
      user_metadata: row.userMetadata,
      tags: row.tags,
    })),
    count: page.length,
    truncated,
    ...(truncated && last ? { next_cursor: cursorOf(last.bucket, last.key) } : {}),
  };
}

function conditions(store: IndexStore, q: SearchQuery): Array<SQL | undefined> {
  const sameObject = (table: typeof objectTags | typeof objectMetadata) => and(eq(table.bucket, objects.bucket), eq(table.key, objects.key));
  return [
    q.bucket !== undefined ? eq(objects.bucket, q.bucket) : undefined,
    q.prefix !== undefined ? and(gte(objects.key, q.prefix), startsWith(objects.key, q.prefix)) : undefined,
    q.contentType && "exact" in q.contentType ? eq(objects.contentType, q.contentType.exact) : undefined,
    q.contentType && "family" in q.contentType ? startsWith(objects.contentType, q.contentType.family) : undefined,
    q.minSize !== undefined ? gte(objects.size, q.minSize) : undefined,
    q.maxSize !== undefined ? lte(objects.size, q.maxSize) : undefined,
    q.modifiedAfter !== undefined ? gt(objects.lastModified, q.modifiedAfter) : undefined,
    q.modifiedBefore !== undefined ? lt(objects.lastModified, q.modifiedBefore) : undefined,
    q.after ? or(gt(objects.bucket, q.after.bucket), and(eq(objects.bucket, q.after.bucket), gt(objects.key, q.after.key))) : undefined,
    ...q.tags.map((t) =>
      exists(
        store.db
          .select()
          .from(objectTags)
          .where(and(sameObject(objectTags), eq(objectTags.name, t.name), t.value !== undefined ? eq(objectTags.value, t.value) : undefined)),
      ),
    ),
    ...q.metadata.map((m) =>
      exists(
        store.db
          .select()
          .from(objectMetadata)
          .where(and(sameObject(objectMetadata), eq(objectMetadata.name, m.name), m.value !== undefined ? eq(objectMetadata.value, m.value) : undefined)),
      ),
    ),
  ];
}

/** Case-sensitive and literal, unlike SQLite's LIKE; lengths counted by SQLite, in characters. */
function startsWith(column: AnyColumn, text: string): SQL {
  return sql`substr(${column}, 1, length(${text})) = ${text}`;
}
