/**
 * A bucket's Durable Object, the part every other part builds on (bucket-do.ts is the whole
 * object): its state — owner, region and settings (bucket-settings.ts), version rows, uploads,
 * events, the group commit and the lifecycle alarm — the bucket-level calls, and the helpers
 * the object and upload calls share (bucket-objects.ts, bucket-do.ts).
 */
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { CorsRule } from "../../shared/cors";
import type { CreatedBy, EventBatch, NotificationTarget } from "../../shared/notifications/object-events";
import type { BlobRef, BucketInfo, Caller, ConfigDocument, NewObject, ObjectRecord, ServerSideEncryption, WriteCondition } from "../../shared/records";
import { isFailure, type Failure } from "../../shared/s3-errors";
import type { CompletedUpload, UploadRecord } from "../../shared/uploads";
import { openDatabase } from "../../shared/durable-database";
import migrations from "./drizzle/migrations.js";
import { UploadRows } from "./uploads";
import { BucketEvents } from "./bucket-events";
import type { AclRequest } from "../../shared/access/acl";
import { BUCKET_ACL, BucketAccess, OWNERSHIP, readBlock, readOwnership } from "./bucket-access";
import { type AclSetting, bucketAclFor, objectAclFor } from "./acls";
import { BucketSettings } from "./bucket-settings";
import { GroupCommit } from "../group-commit";
import { checkWriteCondition } from "./write-condition";
import { defaultEncryption, encryptionForWrite } from "./encryption";
import { LifecycleAlarm } from "./lifecycle-alarm";
import { RecentChanges } from "./recent-changes";
import { RestoreCourse } from "./restore-course";
import { lifecycleRules } from "./lifecycle-rules";
import { deleteRefusal, lockForWrite, lockSettings, type LockSettings } from "./object-locks";
import { VersionRows, type VersionChange } from "./version-rows";
import { TracedDurableObject } from "../traced-object";

export interface ReadOptions {
  /** a specific version; the latest when absent */
  versionId?: string;
  /** include the bytes of an inline object */
  withData?: boolean;
  /** a stale read (a `stale_read` fault): the latest as it was this long ago, if it has changed since */
  staleMs?: number;
}

export interface DeleteEntry {
  key: string;
  versionId?: string;
}

export type DeleteResult = { key: string; versionId?: string; deleteMarker?: boolean; deleteMarkerVersionId?: string; error?: Failure };

/** The subresource under which the lifecycle configuration is stored. */
const LIFECYCLE = "lifecycle";
/** …and the Object Lock configuration. */
const OBJECT_LOCK = "object-lock";
/** …and the default encryption. */
const ENCRYPTION = "encryption";

export abstract class BucketBase extends TracedDurableObject {
  protected readonly db: DrizzleSqliteDODatabase;
  protected readonly settings: BucketSettings;
  protected readonly access: BucketAccess;
  protected rows!: VersionRows;
  protected readonly uploads: UploadRows;
  protected readonly events: BucketEvents;
  protected readonly writes: GroupCommit;
  protected readonly lifecycle: LifecycleAlarm;
  protected readonly restoreCourse: RestoreCourse;
  /** what keys were a few seconds ago, while a consistency fault asks (recent-changes.ts) */
  protected readonly recent = new RecentChanges();

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations, () => {
      this.settings.load();
      this.rows = new VersionRows(ctx.storage.sql);
    });
    this.settings = new BucketSettings(this.db);
    this.access = new BucketAccess(this.settings);
    this.uploads = new UploadRows(this.db, ctx.storage.sql);
    this.events = new BucketEvents(ctx, env);
    this.writes = new GroupCommit(ctx.storage);
    this.lifecycle = new LifecycleAlarm(ctx.storage, env, {
      rules: () => this.settings.readConfig(LIFECYCLE, lifecycleRules),
      target: () => {
        const info = this.info;
        if (!info) return undefined;
        // what a lifecycle expiry's event says of who made it
        const caller: Caller = { ownerId: info.ownerId, principal: "AmazonS3" };
        const expired = (key: string, change: VersionChange, latest: boolean) => this.events.expired(info.name, caller, key, change, latest);
        const transitioned = (key: string, versionId: string) => this.events.transitioned(info.name, caller, key, versionId);
        return { sql: ctx.storage.sql, rows: this.rows, uploads: this.uploads, versioning: info.versioning, expired, transitioned };
      },
      release: (blobs) => env.STORAGE.release(blobs),
    });
    this.restoreCourse = new RestoreCourse(
      ctx.storage,
      () => this.rows,
      (key, versionId, step) => this.info && this.events.restoreStep(this.info.name, { ownerId: this.info.ownerId, principal: "AmazonS3" }, key, versionId, step),
    );
  }

  /** Creates the bucket; creating one's own bucket again succeeds, as in us-east-1. */
  /**
   * `options`: what CreateBucket's headers set from the start (object lock: versioning on and
   * its configuration; object ownership; an ACL, as the ownership and the new bucket's public
   * access block allow), applied with the bucket in one turn. An existing bucket keeps its own.
   */
  create(name: string, caller: Caller, region: string, options: { versioning?: "Enabled"; configs?: Record<string, string>; acl?: AclRequest } = {}): { created: boolean; info: BucketInfo } | Failure {
    if (this.info) {
      if (this.info.ownerId !== caller.ownerId) return { error: "BucketAlreadyExists" };
      return { created: false, info: this.info };
    }
    const configs = { ...options.configs };
    if (options.acl) {
      const acl = bucketAclFor(options.acl, { ownership: readOwnership(configs[OWNERSHIP]), block: readBlock(undefined), bucketOwner: caller.ownerId });
      if (isFailure(acl)) return acl.error === "AccessControlListNotSupported" ? { error: "InvalidBucketAclWithObjectOwnership" } : acl;
      if (acl) configs[BUCKET_ACL] = JSON.stringify(acl);
    }
    const info: BucketInfo = { name, ownerId: caller.ownerId, region, createdAt: Date.now(), versioning: options.versioning ?? "Unversioned" };
    this.settings.create(info, configs);
    return { created: true, info };
  }

  describe(caller: Caller): BucketInfo | Failure {
    return this.guard(caller) ?? this.info!;
  }

  /**
   * Deletes the bucket if it holds no version and no delete marker. Uploads still in progress
   * are aborted with it; their parts' blobs are handed back.
   */
  drop(caller: Caller): { dropped: BucketInfo; released: BlobRef[] } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    if (!this.rows.isEmpty()) return { error: "BucketNotEmpty" };
    const released = this.uploads.removeAll();
    const dropped = this.info!;
    this.settings.drop();
    return { dropped, released };
  }

  /**
   * PutBucketVersioning: once set, a bucket can only be enabled or suspended, never unversioned
   * again. Suspending a bucket never versioned suspends it too, as in S3 (its writes are then
   * "null" versions, which is what they were).
   */
  setVersioning(caller: Caller, status: "Enabled" | "Suspended"): BucketInfo | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    if (status !== "Enabled" && this.lockSettings().enabled) {
      return { error: "InvalidBucketState", message: "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed." };
    }
    return this.settings.setVersioning(status);
  }

  /** The bucket's CORS rules; public, since browsers send preflights unsigned. */
  getCors(): CorsRule[] | null | Failure {
    return this.info ? this.settings.cors : { error: "NoSuchBucket" };
  }

  setCors(caller: Caller, rules: CorsRule[] | null): { ok: true } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    this.settings.setCors(rules);
    return { ok: true };
  }

  /**
   * A stored configuration document (workers/gateway/src/bucket-config): `set` false when it
   * was never put (S3's default applies), `document` null when it was deleted.
   */
  getConfig(caller: Caller, name: string): { set: boolean; document: ConfigDocument } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const configs = this.settings.configs;
    return { set: Object.hasOwn(configs, name), document: configs[name] ?? null };
  }

  /** Stores a configuration document; null records that it was deleted. A lifecycle's rules are run from then on. */
  async setConfig(caller: Caller, name: string, document: ConfigDocument): Promise<{ ok: true } | Failure> {
    const denied = this.guard(caller);
    if (denied) return denied;
    this.settings.setConfig(name, document);
    if (name === LIFECYCLE) await this.lifecycle.schedule();
    return { ok: true };
  }

  /** The lifecycle rules' runs (lifecycle-alarm.ts) and restores' steps (restore-course.ts). */
  override async alarm(): Promise<void> {
    await this.lifecycle.run();
    await this.restoreCourse.run();
  }

  /** Current objects and their bytes (delete markers and older versions not counted), and the events not yet handled. */
  usage(): { objects: number; bytes: number; pendingEvents: number } {
    return { ...this.rows.currentUsage(), pendingEvents: this.events.waiting() };
  }

  getNotification(caller: Caller): NotificationTarget[] | Failure {
    return this.guard(caller) ?? this.settings.notification ?? [];
  }

  /** PutBucketNotificationConfiguration: replaces the targets (none: notifications off). */
  setNotification(caller: Caller, targets: NotificationTarget[]): { ok: true } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    this.settings.setNotification(targets);
    return { ok: true };
  }

  /** queue-service's side: the oldest events, the current objects they name, and where they go. */
  takeEvents(limit: number): EventBatch {
    const info = this.info ? { name: this.info.name, ownerId: this.info.ownerId, region: this.info.region } : null;
    return this.events.take(limit, this.rows, info, this.settings.notification ?? []);
  }

  /** queue-service has handled the events up to `seq`; how many wait still. */
  acknowledgeEvents(seq: number): number {
    return this.events.acknowledge(seq);
  }

  /** The upload, or what it was completed with lately, or why neither. */
  protected uploadOrCompleted(caller: Caller, uploadId: string, key: string): UploadRecord | { completed: CompletedUpload } | Failure {
    return this.guard(caller) ?? this.uploads.findOrCompleted(uploadId, key) ?? { error: "NoSuchUpload" };
  }

  /** A new version of `object.key`, if `condition` holds against the latest one, and its event. */
  protected writeVersion(caller: Caller, requested: NewObject, condition: WriteCondition, createdBy: CreatedBy): (VersionChange & { encryption?: ServerSideEncryption }) | Failure {
    const failed = checkWriteCondition(this.rows, requested.key, condition);
    if (failed) return failed;
    // the lock asked for, or the bucket's default retention
    const { lock: askedLock, encryption: askedEncryption, aclRequest, acl: uploadAcl, ...object } = requested;
    const lock = lockForWrite(askedLock, this.lockSettings(), Date.now(), this.lifecycle.dayMs);
    if (isFailure(lock)) return lock;
    // a completed upload's ACL was settled at its creation
    const acl = uploadAcl ?? objectAclFor(aclRequest, caller.ownerId, this.aclSetting());
    if (isFailure(acl)) return acl;
    // the request's, else the bucket's default (a completed upload's was fixed at its creation)
    const encryption = this.encryptionFor(askedEncryption);
    const written: NewObject = { ...object, ...(lock ? { lock } : {}), ...(encryption ? { encryption } : {}), ...(acl ? { acl } : {}) };
    this.rememberBefore(caller, object.key);
    const change = this.rows.write(written, this.info!.versioning);
    this.events.created(this.info!.name, caller, object, change.versionId, createdBy);
    return encryption ? { ...change, encryption } : change;
  }

  /** A delete of one key (its latest, or `versionId` unless its lock refuses), and its event. */
  protected deleteOne(caller: Caller, key: string, versionId: string | undefined, bypassGovernance: boolean): VersionChange | Failure {
    if (versionId !== undefined) {
      const refused = deleteRefusal(this.rows.version(key, versionId, false)?.lock, Date.now(), bypassGovernance);
      if (refused) return refused;
    }
    this.rememberBefore(caller, key);
    const change = versionId === undefined ? this.rows.deleteLatest(key, Date.now(), this.info!.versioning) : this.rows.deleteVersion(key, versionId);
    this.events.removed(this.info!.name, caller, key, change, versionId === undefined);
    return change;
  }

  /** Keeps what the key is now, before a change, while a consistency fault asks (recent-changes.ts). */
  private rememberBefore(caller: Caller, key: string): void {
    if (!caller.recentWindowMs) return;
    const latest = this.rows.latest(key, true);
    this.recent.remember(key, latest && !latest.deleteMarker ? withoutMarker(latest) : undefined, Date.now(), caller.recentWindowMs);
  }

  /** A write's encryption: its own, else the bucket's default (encryption.ts). */
  protected encryptionFor(asked: ServerSideEncryption | undefined): ServerSideEncryption | undefined {
    return encryptionForWrite(asked, this.settings.readConfig(ENCRYPTION, defaultEncryption));
  }

  protected lockSettings(): LockSettings {
    return this.settings.readConfig(OBJECT_LOCK, lockSettings);
  }

  /** Why `caller` may not do what it asks (bucket-access.ts), if so; an object ACL's grant is not enough here. */
  protected guard(caller: Caller): Failure | undefined {
    const verdict = this.access.decide(caller);
    if (verdict === "allowed") return undefined;
    return verdict === "object-acl" ? { error: "AccessDenied" } : verdict;
  }

  /** What a write's or a Put…Acl's ACL is checked against (acls.ts). */
  protected aclSetting(): AclSetting {
    return { ownership: this.access.ownership(), block: this.access.publicAccessBlock(), bucketOwner: this.info!.ownerId };
  }

  /** The bucket's owner, region and versioning; undefined while it does not exist. */
  protected get info(): BucketInfo | undefined {
    return this.settings.info;
  }
}

function withoutMarker({ deleteMarker: _, ...record }: ObjectRecord & { deleteMarker: boolean }): ObjectRecord {
  return record;
}
