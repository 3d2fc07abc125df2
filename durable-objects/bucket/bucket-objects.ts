/**
 * A bucket's object calls: reading and writing versions, deleting them (as their Object Lock
 * allows), their tags, locks and restores, and the listings.
 */
import type { BlobRef, BucketInfo, Caller, ListPage, ListQuery, LockChange, NewObject, ObjectRecord, TagSet, VersionListQuery, VersionPage, WriteCondition, WriteOutcome } from "../../shared/records";
import type { CreatedBy } from "../../shared/notifications/object-events";
import { isFailure, type Failure } from "../../shared/s3-errors";
import { BucketBase, type DeleteEntry, type DeleteResult, type ReadOptions } from "./bucket-base";
import { listCurrent } from "./listing";
import { changedLock } from "./object-locks";
import type { Acl, AclRequest } from "../../shared/access/acl";
import { BUCKET_ACL } from "./bucket-access";
import { bucketAclFor, defaultAcl, replacedObjectAcl } from "./acls";
import { nextRestore, type RestoreAnswer, type RestoreRequest } from "./restores";
import { listVersions } from "./version-listing";

/** The caller as one entry of a DeleteObjects judges it: a delete of that key. */
function entryCaller(caller: Caller, key: string, versionId: string | undefined): Caller {
  if (!caller.access) return caller;
  return { ...caller, access: { ...caller.access, key, action: versionId === undefined ? "s3:DeleteObject" : "s3:DeleteObjectVersion" } };
}

export abstract class BucketObjects extends BucketBase {
  /** A version's metadata (the latest by default), and its bytes when inline and asked for. */
  getObject(caller: Caller, key: string, options: ReadOptions = {}): ObjectRecord | Failure {
    const verdict = this.access.decide(caller);
    if (isFailure(verdict)) return verdict;
    const { versionId, withData = false, staleMs } = options;
    const found = this.readVersion(key, versionId, withData, staleMs);
    // a caller only the object's ACL may let through learns nothing of what it cannot read
    if (verdict === "object-acl" && !(found && !found.deleteMarker && this.access.objectAllows(caller, found.acl))) return { error: "AccessDenied" };
    if (!found) return versionId === undefined ? { error: "NoSuchKey" } : { error: "NoSuchVersion" };
    const { deleteMarker, ...record } = found;
    if (this.info!.versioning !== "Unversioned") record.versioned = true;
    if (!deleteMarker) return record;
    const headers = { "x-amz-delete-marker": "true", "x-amz-version-id": record.versionId, "last-modified": new Date(record.lastModified).toUTCString() };
    return versionId === undefined ? { error: "NoSuchKey", headers } : { error: "MethodNotAllowed", headers: { ...headers, allow: "DELETE" } };
  }

  /** The version asked for; under a stale read, the latest as it was `staleMs` ago if it changed since. */
  private readVersion(key: string, versionId: string | undefined, withData: boolean, staleMs: number | undefined) {
    if (versionId !== undefined) return this.rows.version(key, versionId, withData);
    const past = staleMs ? this.recent.before(key, Date.now() - staleMs) : undefined;
    if (!past) return this.rows.readLatest(key, withData);
    return past.record ? { ...past.record, deleteMarker: false } : undefined;
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

  /**
   * DeleteObjects: every entry is deleted (a missing key counts as deleted, as in S3), each as
   * the bucket's policy allows its key.
   */
  deleteObjects(caller: Caller, entries: DeleteEntry[], bypassGovernance = false): { results: DeleteResult[]; released: BlobRef[]; versioning: BucketInfo["versioning"] } | Failure {
    if (!this.info) return { error: "NoSuchBucket" };
    const versioning = this.info.versioning;
    const released: BlobRef[] = [];
    const results = entries.map(({ key, versionId }): DeleteResult => {
      const denied = this.guard(entryCaller(caller, key, versionId));
      const change = denied ?? this.deleteOne(caller, key, versionId, bypassGovernance);
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
  async restoreObject(caller: Caller, key: string, versionId: string | undefined, request: RestoreRequest): Promise<RestoreAnswer | Failure> {
    const found = this.getObject(caller, key, { versionId });
    if (isFailure(found)) return found;
    const restore = nextRestore(found, request, Date.now());
    if (isFailure(restore)) return restore;
    this.rows.setRestore(key, found.versionId, restore);
    const extended = restore.requestedAt === found.restore?.requestedAt;
    if (!extended) this.events.restoreRequested(this.info!.name, caller, key, found.versionId);
    // the change and its event are written in this turn; the alarm for its course after
    await this.restoreCourse.follow(restore);
    return { outcome: extended ? "extended" : "accepted", versionId: found.versionId, versioned: found.versioned === true, restore };
  }

  /** GetBucketAcl (no key) and GetObjectAcl. */
  getAcl(caller: Caller, key?: string, versionId?: string): Acl | Failure {
    if (key === undefined) return this.guard(caller) ?? this.access.bucketAcl();
    const found = this.getObject(caller, key, { versionId });
    if (isFailure(found)) return found;
    return found.acl ?? defaultAcl(this.info!.ownerId);
  }

  /** PutBucketAcl (no key) and PutObjectAcl, as the ownership setting and public access block allow (acls.ts). */
  setAcl(caller: Caller, request: AclRequest, key?: string, versionId?: string): { versionId?: string } | Failure {
    if (key === undefined) {
      const denied = this.guard(caller);
      if (denied) return denied;
      const acl = bucketAclFor(request, this.aclSetting());
      if (isFailure(acl)) return acl;
      this.settings.setConfig(BUCKET_ACL, acl ? JSON.stringify(acl) : null);
      return {};
    }
    const found = this.getObject(caller, key, { versionId });
    if (isFailure(found)) return found;
    const acl = replacedObjectAcl(request, found.acl?.owner ?? this.info!.ownerId, this.aclSetting());
    if (isFailure(acl)) return acl;
    this.rows.setAcl(key, found.versionId, acl);
    return { versionId: found.versionId };
  }

  /** A listing page; with `lagMs` (a `list_lag` fault), as it was that long ago for keys changed since. */
  list(caller: Caller, query: ListQuery, lagMs?: number): ListPage | Failure {
    const denied = this.guard(caller);
    if (denied) return denied;
    const page = listCurrent(this.db, query);
    return { ...(lagMs ? this.recent.listBefore(page, query, Date.now() - lagMs) : page), ownerId: this.info!.ownerId };
  }

  listVersions(caller: Caller, query: VersionListQuery): VersionPage | Failure {
    return this.guard(caller) ?? { ...listVersions(this.ctx.storage.sql, query), ownerId: this.info!.ownerId };
  }
}
