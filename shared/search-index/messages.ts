/**
 * What crosses between the workers and the search index (sidecars/search-index), which keeps
 * object metadata and dead letters in libSQL: queue-service writes, metadata-service and
 * queue-service read, over HTTP on loopback (MOCKS3_INDEX_URL).
 */
import type { IndexedObject } from "../notifications/object-events";
import type { S3EventRecord } from "../notifications/event-record";

/** POST /apply: each key's current object, or null to remove it from the index. */
export interface IndexUpdate {
  bucket: string;
  objects: Record<string, IndexedObject | null>;
}

/** A webhook delivery: one event for one destination. */
export interface Delivery {
  bucket: string;
  key: string;
  eventName: string;
  destination: string;
  configurationId: string;
  record: S3EventRecord;
}

/** POST /dead-letters: a delivery that never got through, and why. */
export interface DeadLetter extends Delivery {
  attempts: number;
  reason: string;
  /** milliseconds since the epoch */
  failedAt: number;
}
