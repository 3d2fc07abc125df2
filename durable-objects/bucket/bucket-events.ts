/**
 * A bucket's object events: each change recorded in its outbox (outbox.ts) in the turn of
 * the change, and a word to queue-service that there are some — one message on the
 * object-events queue for however many events a burst of writes records (the first write of
 * a burst sends it a few milliseconds later; queue-service then takes everything waiting). A
 * message that never arrives loses nothing: the events wait in the outbox for the next
 * message, or for queue-service's sweep when the stack starts.
 */
import type { Caller, NewObject } from "../../shared/records";
import type { CreatedBy, EventBatch, NotificationTarget, ObjectEventsMessage } from "../../shared/notifications/object-events";
import { Outbox, type NewEvent } from "./outbox";
import type { VersionChange, VersionRows } from "./version-rows";
import type { RestoreStep } from "./restore-course";

/** How long a burst of writes gathers before the message goes out. */
const GATHER_MS = 100;
/** Most events one take returns. */
const MAX_TAKE = 1000;

export class BucketEvents {
  private readonly outbox: Outbox;
  private pending = false;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: DurableObjectsEnv,
  ) {
    this.outbox = new Outbox(ctx.storage.sql);
  }

  created(bucket: string, caller: Caller, object: NewObject, versionId: string, createdBy: CreatedBy): void {
    this.record(bucket, caller, { name: `ObjectCreated:${createdBy}`, key: object.key, versionId, size: object.size, etag: object.etag });
  }

  /** A delete: of a version, or of the latest (a delete marker in a versioned bucket); nothing when it found nothing. */
  removed(bucket: string, caller: Caller, key: string, change: VersionChange, latest: boolean): void {
    if (!change.changed) return;
    const name = latest && change.deleteMarker ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete";
    this.record(bucket, caller, { name, key, versionId: change.versionId });
  }

  tagged(bucket: string, caller: Caller, key: string, versionId: string, tagCount: number): void {
    this.record(bucket, caller, { name: tagCount > 0 ? "ObjectTagging:Put" : "ObjectTagging:Delete", key, versionId });
  }

  /** An expiry by a lifecycle rule; nothing when it found nothing. */
  expired(bucket: string, caller: Caller, key: string, change: VersionChange, latest: boolean): void {
    if (!change.changed) return;
    const name = latest && change.deleteMarker ? "LifecycleExpiration:DeleteMarkerCreated" : "LifecycleExpiration:Delete";
    this.record(bucket, caller, { name, key, versionId: change.versionId });
  }

  /** A lifecycle rule moved a version to a colder storage class. */
  transitioned(bucket: string, caller: Caller, key: string, versionId: string): void {
    this.record(bucket, caller, { name: "LifecycleTransition", key, versionId });
  }

  restoreRequested(bucket: string, caller: Caller, key: string, versionId: string): void {
    this.record(bucket, caller, { name: "ObjectRestore:Post", key, versionId });
  }

  /** A restore's copy became readable, or expired (restore-course.ts). */
  restoreStep(bucket: string, caller: Caller, key: string, versionId: string, step: RestoreStep): void {
    this.record(bucket, caller, { name: step, key, versionId });
  }

  /** The oldest events, the current objects they name, and where they go. */
  take(limit: number, rows: VersionRows, bucket: EventBatch["bucket"], targets: NotificationTarget[]): EventBatch {
    const events = this.outbox.oldest(Math.max(1, Math.min(limit, MAX_TAKE)));
    return { bucket, targets, events, objects: this.outbox.currentObjects(events, rows) };
  }

  acknowledge(seq: number): number {
    return this.outbox.acknowledge(seq);
  }

  waiting(): number {
    return this.outbox.pending();
  }

  private record(bucket: string, caller: Caller, event: NewEvent): void {
    this.outbox.record(event, { requestId: caller.requestId, sourceIp: caller.sourceIp, principal: caller.principal });
    if (this.pending) return;
    this.pending = true;
    const send = async () => {
      await new Promise((resolve) => setTimeout(resolve, GATHER_MS));
      this.pending = false;
      await this.env.OBJECT_EVENTS.send({ bucket } satisfies ObjectEventsMessage);
    };
    this.ctx.waitUntil(
      send().catch(() => {
        this.pending = false;
      }),
    );
  }
}
