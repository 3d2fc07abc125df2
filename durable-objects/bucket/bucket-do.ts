/**
 * One Durable Object per bucket (named by the bucket): the bucket's owner, region and
 * settings (bucket-settings.ts), every version of its objects, and its multipart uploads.
 * Every method checks the caller against the owner first, so an object request costs one
 * call here. Small objects keep their bytes in their row, so a GET or PUT of one is this one
 * call. A method's writes happen in one synchronous turn, which workerd commits atomically;
 * object writes that arrive together share one turn and one commit (group-commit.ts). The
 * blobs a write frees are handed back for storage-service to release.
 */
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { CorsRule } from "../../shared/cors";
import type { CreatedBy, EventBatch, NotificationTarget } from "../../shared/notifications/object-events";
import type {
  BlobRef,
  BucketInfo,
  Caller,
  ListPage,
  ListQuery,
  LockChange,
  NewObject,
  ObjectRecord,
  ServerSideEncryption,
  TagSet,
  VersionListQuery,
  VersionPage,
  WriteCondition,
  WriteOutcome,
  ConfigDocument,
} from "../../shared/records";
import { isFailure, type Failure } from "../../shared/s3-errors";
import type { CompletedUpload, Completion, PartRecord, PartsPage, UploadRecord, UploadsPage, UploadsQuery, UploadTemplate } from "../../shared/uploads";
import { openDatabase } from "../database";
import migrations from "./drizzle/migrations.js";
import { listCurrent } from "./listing";
import { listUploads } from "./upload-listing";
import { UploadRows } from "./uploads";
import { BucketEvents } from "./bucket-events";
import { BucketSettings } from "./bucket-settings";
import { GroupCommit } from "../group-commit";
import { checkWriteCondition } from "./write-condition";
import { nextRestore, type RestoreAnswer, type RestoreRequest } from "./restores";
import { encryptionForWrite } from "./encryption";
import { LifecycleAlarm } from "./lifecycle-alarm";
import { changedLock, deleteRefusal, lockForWrite, lockSettings, type LockSettings } from "./object-locks";
import { listVersions } from "./version-listing";
import { VersionRows, type VersionChange } from "./version-rows";
import { TracedDurableObject } from "../traced-object";

export interface ReadOptions {
  /** a specific version; the latest when absent */
  versionId?: string;
  /** include the bytes of an inline object */
  withData?: boolean;
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

export class BucketDO extends TracedDurableObject {
  /** whose state this is, in traces */
  static readonly service = "metadata-service";

  private readonly db: DrizzleSqliteDODatabase;
  private readonly settings: BucketSettings;
  private rows!: VersionRows;
  private readonly uploads: UploadRows;
  private readonly events: BucketEvents;
  private readonly writes: GroupCommit;
  private readonly lifecycle: LifecycleAlarm;

  constructor(ctx: DurableObjectState, env: DurableObjectsEnv) {
    super(ctx, env);
    this.db = openDatabase(ctx, migrations, () => {
      this.settings.load();
      this.rows = new VersionRows(ctx.storage.sql);
    });
    this.settings = new BucketSettings(this.db);
    this.uploads = new UploadRows(this.db, ctx.storage.sql);
    this.events = new BucketEvents(ctx, env);
    this.writes = new GroupCommit(ctx.storage);
    this.lifecycle = new LifecycleAlarm(ctx.storage, env, {
      document: () => this.settings.configs[LIFECYCLE],
      target: () => {
        const info = this.info;
        if (!info) return undefined;
        // what a lifecycle expiry's event says of who made it
        const caller: Caller = { ownerId: info.ownerId, principal: "AmazonS3" };
        const expired = (key: string, change: VersionChange, latest: boolean) => this.events.expired(info.name, caller, key, change, latest);
        return { sql: ctx.storage.sql, rows: this.rows, uploads: this.uploads, versioning: info.versioning, expired };
      },
      release: (blobs) => env.STORAGE.release(blobs),
    });
  }

  /** Creates the bucket; creating one's own bucket again succeeds, as in us-east-1. */
  /**
   * `options`: what CreateBucket's headers set from the start (object lock: versioning on and
   * its configuration; object ownership), applied with the bucket in one turn. An existing
   * bucket keeps its own.
   */
  create(name: string, caller: Caller, region: string, options: { versioning?: "Enabled"; configs?: Record<string, string> } = {}): { created: boolean; info: BucketInfo } | Failure {
    if (this.info) {
      if (this.info.ownerId !== caller.ownerId) return { error: "BucketAlreadyExists" };
      return { created: false, info: this.info };
    }
    const info: BucketInfo = { name, ownerId: caller.ownerId, region, createdAt: Date.now(), versioning: options.versioning ?? "Unversioned" };
    this.settings.create(info, options.configs);
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

  /** The lifecycle rules' runs (lifecycle-alarm.ts). */
  override alarm(): Promise<void> {
    return this.lifecycle.run();
  }

  /** A version's metadata (the latest by default), and its bytes when inline and asked for. */
  getObject(caller: Caller, key: string, options: ReadOptions = {}): ObjectRecord | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const { versionId, withData = false } = options;
    const found = versionId === undefined ? this.rows.readLatest(key, withData) : this.rows.version(key, versionId, withData);
    if (!found) return versionId === undefined ? { error: "NoSuchKey" } : { error: "NoSuchVersion" };
    const { deleteMarker, ...record } = found;
    if (this.info!.versioning !== "Unversioned") record.versioned = true;
    if (!deleteMarker) return record;
    const headers = { "x-amz-delete-marker": "true", "x-amz-version-id": record.versionId, "last-modified": new Date(record.lastModified).toUTCString() };
    return versionId === undefined ? { error: "NoSuchKey", headers } : { error: "MethodNotAllowed", headers: { ...headers, allow: "DELETE" } };
  }

  /**
   * Writes a version of `object.key` if `condition` holds against the latest one, together
   * with the other writes that arrive meanwhile (group-commit.ts).
   */
  putObject(caller: Caller, object: NewObject, condition: WriteCondition = {}, createdBy: CreatedBy = "Put"): Promise<WriteOutcome | Failure> {
    return this.writes.run(() => {
      const denied = this.guard(caller);
      if (denied) return denied;
      const change = this.writeVersion(caller, object, condition, createdBy);
      if (isFailure(change)) return change;
      const outcome: WriteOutcome = { versionId: change.versionId, versioning: this.info!.versioning, released: change.released };
      if (change.encryption) outcome.encryption = change.encryption;
      return outcome;
    });
  }

  /**
   * DeleteObject: a delete marker in a versioned bucket, the version itself with an id (unless
   * its Object Lock refuses: `bypassGovernance` lifts a GOVERNANCE retention); grouped as
   * putObject is.
   */
  deleteObject(caller: Caller, key: string, versionId?: string, bypassGovernance = false): Promise<WriteOutcome | Failure> {
    return this.writes.run(() => {
      const denied = this.guard(caller);
      if (denied) return denied;
      const change = this.deleteOne(caller, key, versionId, bypassGovernance);
      if (isFailure(change)) return change;
      return { versionId: change.versionId, versioning: this.info!.versioning, deleteMarker: change.deleteMarker, released: change.released };
    });
  }

  /** DeleteObjects: every entry is deleted (a missing key counts as deleted, as in S3). */
  deleteObjects(caller: Caller, entries: DeleteEntry[], bypassGovernance = false): { results: DeleteResult[]; released: BlobRef[]; versioning: BucketInfo["versioning"] } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const versioning = this.info!.versioning;
    const released: BlobRef[] = [];
    const results = entries.map(({ key, versionId }): DeleteResult => {
      const change = this.deleteOne(caller, key, versionId, bypassGovernance);
      if (isFailure(change)) return { key, ...(versionId !== undefined ? { versionId } : {}), error: change };
      released.push(...change.released);
      if (versionId !== undefined) return { key, versionId, ...(change.deleteMarker ? { deleteMarker: true, deleteMarkerVersionId: versionId } : {}) };
      return change.deleteMarker ? { key, deleteMarker: true, deleteMarkerVersionId: change.versionId } : { key };
    });
    return { results, released, versioning };
  }

  setTags(caller: Caller, key: string, versionId: string | undefined, tags: TagSet): { versionId: string } | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const updated = this.rows.setTags(key, versionId, tags);
    if (!updated) return versionId === undefined ? { error: "NoSuchKey" } : { error: "NoSuchVersion" };
    const tagged = versionId ?? this.rows.latest(key, false)!.versionId;
    this.events.tagged(this.info!.name, caller, key, tagged, tags.length);
    return { versionId: tagged };
  }

  /**
   * PutObjectRetention and PutObjectLegalHold: a version's retention (null removes it) or legal
   * hold replaced, unless its lock refuses (object-locks.ts).
   */
  setObjectLock(caller: Caller, key: string, versionId: string | undefined, change: LockChange, bypassGovernance = false): { versionId: string } | Failure {
    const found = this.getObject(caller, key, { versionId });
    if (isFailure(found)) return found;
    const lock = changedLock(this.lockSettings(), found.lock, change, Date.now(), bypassGovernance);
    if (isFailure(lock)) return lock;
    this.rows.setLock(key, found.versionId, lock);
    return { versionId: found.versionId };
  }

  /** RestoreObject: begins or extends the restore of an archived version (restores.ts). */
  restoreObject(caller: Caller, key: string, versionId: string | undefined, request: RestoreRequest): RestoreAnswer | Failure {
    const found = this.getObject(caller, key, { versionId });
    if (isFailure(found)) return found;
    const restore = nextRestore(found, request, Date.now());
    if (isFailure(restore)) return restore;
    this.rows.setRestore(key, found.versionId, restore);
    if (restore.requestedAt === found.restore?.requestedAt) return { outcome: "extended", versionId: found.versionId, restore };
    this.events.restoreRequested(this.info!.name, caller, key, found.versionId);
    return { outcome: "accepted", versionId: found.versionId, restore };
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

  list(caller: Caller, query: ListQuery): ListPage | Failure {
    return this.guard(caller) ?? listCurrent(this.db, query);
  }

  listVersions(caller: Caller, query: VersionListQuery): VersionPage | Failure {
    return this.guard(caller) ?? listVersions(this.ctx.storage.sql, query);
  }

  // Multipart uploads: the rows in uploads.ts, the listing in upload-listing.ts.

  createUpload(caller: Caller, key: string, requested: UploadTemplate): UploadRecord | Failure {
    const { encryption: asked, ...template } = requested;
    const encryption = encryptionForWrite(asked, this.settings.configs[ENCRYPTION]);
    return this.guard(caller) ?? this.uploads.create(key, encryption ? { ...template, encryption } : template, Date.now());
  }

  /** An upload of `key` in this bucket; an id of another bucket or key is NoSuchUpload. */
  getUpload(caller: Caller, uploadId: string, key: string): UploadRecord | Failure {
    return this.guard(caller) ?? this.uploads.find(uploadId, key) ?? { error: "NoSuchUpload" };
  }

  /** UploadPart: stores the part unless the upload ended meanwhile; hands back a replaced part's blob. */
  putPart(caller: Caller, uploadId: string, key: string, part: PartRecord): { released: BlobRef[] } | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : { released: this.uploads.putPart(uploadId, part) };
  }

  listParts(caller: Caller, uploadId: string, key: string, after: number, maxParts: number): PartsPage | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : this.uploads.listParts(upload, after, maxParts);
  }

  /**
   * Every part of an upload, for the gateway to check and sum up a CompleteMultipartUpload;
   * for an upload completed lately, what it was completed with (a retry).
   */
  uploadParts(caller: Caller, uploadId: string, key: string): { upload: UploadRecord; parts: PartRecord[] } | { completed: CompletedUpload } | Failure {
    const found = this.uploadOrCompleted(caller, uploadId, key);
    return isFailure(found) || "completed" in found ? found : { upload: found, parts: this.uploads.allParts(uploadId) };
  }

  /**
   * CompleteMultipartUpload: `object` (the chosen parts' blobs in order) becomes a version of
   * its key, the upload ends, and the blobs of parts left out are handed back — in one turn,
   * and only if the chosen parts are still those the gateway checked. A second completion
   * with the same part list, racing the first, gets the first one's outcome.
   */
  completeUpload(caller: Caller, uploadId: string, { object, chosen, partList }: Completion, condition: WriteCondition = {}): WriteOutcome | Failure {
    const found = this.uploadOrCompleted(caller, uploadId, object.key);
    if (isFailure(found)) return found;
    if ("completed" in found) {
      const { versionId, versioning, partList: completedWith, encryption } = found.completed;
      return completedWith === partList ? { versionId, versioning, released: [], ...(encryption ? { encryption } : {}) } : { error: "NoSuchUpload" };
    }
    if (!this.uploads.stillChosen(uploadId, chosen)) return { error: "InvalidPart" };
    const change = this.writeVersion(caller, object, condition, "CompleteMultipartUpload");
    if (isFailure(change)) return change;
    const versioning = this.info!.versioning;
    const unused = this.uploads.remove(uploadId, new Set(object.blobs.map((b) => b.id)));
    const encryption = change.encryption ? { encryption: change.encryption } : {};
    this.uploads.rememberCompleted(uploadId, { key: object.key, partList, etag: object.etag, checksum: object.checksum ?? null, versionId: change.versionId, versioning, ...encryption });
    return { versionId: change.versionId, versioning, released: [...change.released, ...unused], ...encryption };
  }

  abortUpload(caller: Caller, uploadId: string, key: string): { released: BlobRef[] } | Failure {
    const upload = this.getUpload(caller, uploadId, key);
    return isFailure(upload) ? upload : { released: this.uploads.remove(uploadId) };
  }

  listUploads(caller: Caller, query: UploadsQuery): UploadsPage | Failure {
    return this.guard(caller) ?? listUploads(this.db, query);
  }

  /** The upload, or what it was completed with lately, or why neither. */
  private uploadOrCompleted(caller: Caller, uploadId: string, key: string): UploadRecord | { completed: CompletedUpload } | Failure {
    return this.guard(caller) ?? this.uploads.findOrCompleted(uploadId, key) ?? { error: "NoSuchUpload" };
  }

  /** A new version of `object.key`, if `condition` holds against the latest one, and its event. */
  private writeVersion(caller: Caller, requested: NewObject, condition: WriteCondition, createdBy: CreatedBy): (VersionChange & { encryption?: ServerSideEncryption }) | Failure {
    const failed = checkWriteCondition(this.rows, requested.key, condition);
    if (failed) return failed;
    // the lock asked for, or the bucket's default retention
    const { lock: askedLock, encryption: askedEncryption, ...object } = requested;
    const lock = lockForWrite(askedLock, this.lockSettings(), Date.now(), this.lifecycle.dayMs);
    if (isFailure(lock)) return lock;
    // the request's, else the bucket's default (a completed upload's was fixed at its creation)
    const encryption = encryptionForWrite(askedEncryption, this.settings.configs[ENCRYPTION]);
    const written: NewObject = { ...object, ...(lock ? { lock } : {}), ...(encryption ? { encryption } : {}) };
    const change = this.rows.write(written, this.info!.versioning);
    this.events.created(this.info!.name, caller, object, change.versionId, createdBy);
    return encryption ? { ...change, encryption } : change;
  }

  /** A delete of one key (its latest, or `versionId` unless its lock refuses), and its event. */
  private deleteOne(caller: Caller, key: string, versionId: string | undefined, bypassGovernance: boolean): VersionChange | Failure {
    if (versionId !== undefined) {
      const refused = deleteRefusal(this.rows.version(key, versionId, false)?.lock, Date.now(), bypassGovernance);
      if (refused) return refused;
    }
    const change = versionId === undefined ? this.rows.deleteLatest(key, Date.now(), this.info!.versioning) : this.rows.deleteVersion(key, versionId);
    this.events.removed(this.info!.name, caller, key, change, versionId === undefined);
    return change;
  }

  private lockSettings(): LockSettings {
    return lockSettings(this.settings.configs[OBJECT_LOCK]);
  }

  private guard(caller: Caller): Failure | undefined {
    return this.settings.guard(caller);
  }

  /** The bucket's owner, region and versioning; undefined while it does not exist. */
  private get info(): BucketInfo | undefined {
    return this.settings.info;
  }
}
