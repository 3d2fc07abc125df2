/**
 * Object events: what a bucket's Durable Object records, in the same turn as the change
 * itself (its outbox), for queue-service to turn into notifications and index updates. An
 * event is never lost: it stays in the bucket until queue-service has handled it.
 */

/** S3's event types for object changes, as notification configurations name them (with `s3:`). */
export const EVENT_NAMES = [
  "ObjectCreated:Put",
  "ObjectCreated:Post",
  "ObjectCreated:Copy",
  "ObjectCreated:CompleteMultipartUpload",
  "ObjectRemoved:Delete",
  "ObjectRemoved:DeleteMarkerCreated",
  "ObjectTagging:Put",
  "ObjectTagging:Delete",
  "ObjectRestore:Post",
  "ObjectRestore:Completed",
  "ObjectRestore:Delete",
  "LifecycleExpiration:Delete",
  "LifecycleExpiration:DeleteMarkerCreated",
  "LifecycleTransition",
] as const;

export type EventName = (typeof EVENT_NAMES)[number];

/** How an object was created, as the write that created it names it. */
export type CreatedBy = "Put" | "Post" | "Copy" | "CompleteMultipartUpload";

/** Who caused a change, for the event's userIdentity, requestParameters and responseElements. */
export interface EventOrigin {
  requestId?: string;
  sourceIp?: string;
  principal?: string;
}

/** One change of one key, as the bucket's outbox holds it. */
export interface ObjectEvent extends EventOrigin {
  /** grows with every event of the bucket: S3's `sequencer` */
  seq: number;
  name: EventName;
  key: string;
  versionId?: string;
  size?: number;
  /** quoted, as S3 returns it */
  etag?: string;
  /** milliseconds since the epoch */
  time: number;
}

/** A key's current object as the search index holds it. */
export interface IndexedObject {
  key: string;
  versionId: string;
  size: number;
  etag: string;
  lastModified: number;
  contentType?: string;
  userMetadata: Record<string, string>;
  tags: Array<{ key: string; value: string }>;
}

/**
 * What queue-service takes from a bucket in one call: the oldest events, the current state of
 * each key they name (null when the key has no current object), and the bucket's
 * notification targets. It acknowledges up to the last event's seq when it has handled them.
 */
export interface EventBatch {
  bucket: { name: string; ownerId: string; region: string } | null;
  targets: NotificationTarget[];
  events: ObjectEvent[];
  objects: Record<string, IndexedObject | null>;
}

/** A message on the object-events queue: the bucket has events waiting in its outbox. */
export interface ObjectEventsMessage {
  bucket: string;
}

/** One destination of a bucket's notification configuration. */
export interface NotificationTarget {
  id: string;
  /** the configuration element it came from */
  kind: "QueueConfiguration" | "TopicConfiguration" | "CloudFunctionConfiguration";
  /** the webhook: an http(s) URL */
  destination: string;
  /** event types with `s3:`, wildcards kept (`s3:ObjectCreated:*`) */
  events: string[];
  prefix?: string;
  suffix?: string;
}
