/**
 * The bucket's outbox of object events (schema.ts `events`): recorded in the turn of the
 * change itself, taken by queue-service oldest first, deleted when it acknowledges them.
 * Plain prepared SQL, as version-rows.ts, since a row is written by every object write.
 */
import type { EventName, EventOrigin, IndexedObject, ObjectEvent } from "../../shared/notifications/object-events";
import type { VersionRows } from "./version-rows";

const INSERT = "INSERT INTO events (name, key, version_id, size, etag, time, request_id, source_ip, principal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
const OLDEST = "SELECT seq, name, key, version_id, size, etag, time, request_id, source_ip, principal FROM events ORDER BY seq LIMIT ?";

type Row = Record<string, SqlStorageValue>;

export interface NewEvent {
  name: EventName;
  key: string;
  versionId?: string;
  size?: number;
  etag?: string;
}

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  record(event: NewEvent, origin: EventOrigin = {}): void {
    this.sql.exec(
      INSERT,
      event.name,
      event.key,
      event.versionId ?? null,
      event.size ?? null,
      event.etag ?? null,
      Date.now(),
      origin.requestId ?? null,
      origin.sourceIp ?? null,
      origin.principal ?? null,
    );
  }

  oldest(limit: number): ObjectEvent[] {
    return this.sql.exec<Row>(OLDEST, limit).toArray().map(toEvent);
  }

  /** Deletes the events up to `seq`; how many remain. */
  acknowledge(seq: number): number {
    this.sql.exec("DELETE FROM events WHERE seq <= ?", seq);
    return this.pending();
  }

  pending(): number {
    return Number(this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM events").one().n);
  }

  /** The current object of each key the events name, or null where there is none. */
  currentObjects(events: ObjectEvent[], rows: VersionRows): Record<string, IndexedObject | null> {
    const objects: Record<string, IndexedObject | null> = {};
    for (const { key } of events) {
      if (Object.hasOwn(objects, key)) continue;
      const latest = rows.latest(key, false);
      objects[key] =
        latest && !latest.deleteMarker
          ? {
              key,
              versionId: latest.versionId,
              size: latest.size,
              etag: latest.etag,
              lastModified: latest.lastModified,
              ...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}),
              userMetadata: latest.userMetadata,
              tags: latest.tags,
            }
          : null;
    }
    return objects;
  }
}

function toEvent(row: Row): ObjectEvent {
  const event: ObjectEvent = { seq: row.seq as number, name: row.name as EventName, key: row.key as string, time: row.time as number };
  if (row.version_id !== null) event.versionId = row.version_id as string;
  if (row.size !== null) event.size = row.size as number;
  if (row.etag !== null) event.etag = row.etag as string;
  if (row.request_id !== null) event.requestId = row.request_id as string;
  if (row.source_ip !== null) event.sourceIp = row.source_ip as string;
  if (row.principal !== null) event.principal = row.principal as string;
  return event;
}
