/**
 * Carries out a bucket's lifecycle rules (lifecycle-rules.ts), from its Durable Object's
 * alarm: current versions expired some days after they were written or from a date on (a
 * delete, or a delete marker where versioning is on), noncurrent versions some days after a
 * newer one replaced them (the newest few kept if the rule says so), delete markers left as a
 * key's only version, and multipart uploads left unfinished; never a version its Object Lock
 * protects. Transitions move current and noncurrent versions to a colder storage class (never
 * a warmer one) after their days or from their date — a GLACIER or DEEP_ARCHIVE version then
 * needs a RestoreObject before it can be read again, as on S3. A day lasts
 * MOCKS3_LIFECYCLE_DAY_SECONDS; unlike S3, which rounds to the next midnight UTC, a version
 * expires as soon as its days are over, at the next run.
 *
 * One run is one synchronous turn (committed at once) of at most MAX_ACTIONS changes; it
 * says when there is more, and the caller runs again soon. Each expiry is an
 * `s3:LifecycleExpiration:*` event, each transition an `s3:LifecycleTransition` event; the
 * blobs freed are handed back for storage-service.
 */
import type { BlobRef, ObjectLock, StorageClass, TagSet, Versioning } from "../../shared/records";
import { isColder } from "../../shared/storage-classes";
import { prefixEnd } from "../key-range";
import { covers, type LifecycleRule, type Transition } from "./lifecycle-rules";
import { deleteRefusal } from "./object-locks";
import type { UploadRows } from "./uploads";
import type { VersionChange, VersionRows } from "./version-rows";

const MAX_ACTIONS = 1000;

export interface LifecycleTarget {
  sql: SqlStorage;
  rows: VersionRows;
  uploads: UploadRows;
  versioning: Versioning;
  /** records the expiry's event; `latest`: the key's current version was expired (not one version by id) */
  expired(key: string, change: VersionChange, latest: boolean): void;
  /** records a transition's event */
  transitioned(key: string, versionId: string): void;
}

export interface LifecycleRun {
  released: BlobRef[];
  /** changes were left for another run */
  more: boolean;
}

export function runLifecycle(rules: LifecycleRule[], target: LifecycleTarget, now: number, dayMs: number): LifecycleRun {
  const run = new Run(target, now, dayMs);
  for (const rule of rules) {
    run.expireCurrent(rule);
    run.expireNoncurrent(rule);
    run.removeLoneDeleteMarkers(rule);
    run.abortUploads(rule);
    run.transitionCurrent(rule);
    run.transitionNoncurrent(rule);
  }
  return { released: run.released, more: run.budget <= 0 };
}

type Row = Record<string, SqlStorageValue>;

class Run {
  released: BlobRef[] = [];
  budget = MAX_ACTIONS;

  constructor(
    private readonly target: LifecycleTarget,
    private readonly now: number,
    private readonly dayMs: number,
  ) {}

  expireCurrent(rule: LifecycleRule): void {
    let writtenBy: number | undefined;
    if (rule.expireDays !== undefined) writtenBy = this.now - rule.expireDays * this.dayMs;
    else if (rule.expireDate !== undefined && rule.expireDate <= this.now) writtenBy = Number.MAX_SAFE_INTEGER;
    if (writtenBy === undefined || this.budget <= 0) return;
    const rows = this.select("SELECT key, size, tags FROM versions t WHERE is_latest = 1 AND delete_marker = 0 AND last_modified <= ?", rule.prefix, [writtenBy]);
    for (const row of rows) {
      if (this.budget <= 0) return;
      const key = row.key as string;
      if (!covers(rule, key, row.size as number, tagsOf(row))) continue;
      this.apply(key, this.target.rows.deleteLatest(key, this.now, this.target.versioning), true);
    }
  }

  expireNoncurrent(rule: LifecycleRule): void {
    if (rule.noncurrentDays === undefined || this.budget <= 0) return;
    const replacedBy = this.now - rule.noncurrentDays * this.dayMs;
    // when a version became noncurrent: when the next newer version of its key was written
    const rows = this.select(
      "SELECT key, version_id, size, tags, delete_marker, object_lock, (SELECT n.last_modified FROM versions n WHERE n.key = t.key AND n.seq > t.seq ORDER BY n.seq LIMIT 1) AS since FROM versions t WHERE is_latest = 0",
      rule.prefix,
      [],
      "key, seq DESC",
    );
    let previous: string | undefined;
    let newer = 0;
    for (const row of rows) {
      if (this.budget <= 0) return;
      const key = row.key as string;
      if (key !== previous) [previous, newer] = [key, 0];
      if (newer++ < rule.keepNewer || row.since === null || (row.since as number) > replacedBy) continue;
      const marker = Boolean(row.delete_marker);
      if (!marker && !covers(rule, key, row.size as number, tagsOf(row))) continue;
      // a version under Object Lock stays until its retention and legal hold allow
      if (row.object_lock !== null && deleteRefusal(JSON.parse(row.object_lock as string) as ObjectLock, this.now, false)) continue;
      this.apply(key, this.target.rows.deleteVersion(key, row.version_id as string), false);
    }
  }

  removeLoneDeleteMarkers(rule: LifecycleRule): void {
    if (!rule.expiredDeleteMarkers || this.budget <= 0) return;
    const rows = this.select(
      "SELECT key, version_id FROM versions t WHERE is_latest = 1 AND delete_marker = 1 AND NOT EXISTS (SELECT 1 FROM versions o WHERE o.key = t.key AND o.seq <> t.seq)",
      rule.prefix,
      [],
    );
    for (const row of rows) {
      if (this.budget <= 0) return;
      this.apply(row.key as string, this.target.rows.deleteVersion(row.key as string, row.version_id as string), false);
    }
  }

  transitionCurrent(rule: LifecycleRule): void {
    if (rule.transitions.length === 0 || this.budget <= 0) return;
    const rows = this.select("SELECT key, version_id, size, tags, storage_class, last_modified FROM versions t WHERE is_latest = 1 AND delete_marker = 0", rule.prefix, []);
    for (const row of rows) this.transition(rule, rule.transitions, row, row.last_modified as number);
  }

  transitionNoncurrent(rule: LifecycleRule): void {
    if (rule.noncurrentTransitions.length === 0 || this.budget <= 0) return;
    const rows = this.select(
      "SELECT key, version_id, size, tags, storage_class, (SELECT n.last_modified FROM versions n WHERE n.key = t.key AND n.seq > t.seq ORDER BY n.seq LIMIT 1) AS since FROM versions t WHERE is_latest = 0 AND delete_marker = 0",
      rule.prefix,
      [],
    );
    for (const row of rows) if (row.since !== null) this.transition(rule, rule.noncurrentTransitions, row, row.since as number);
  }

  /** The coldest of the transitions due for a version `since` then, if colder than its class. */
  private transition(rule: LifecycleRule, transitions: Transition[], row: Row, since: number): void {
    if (this.budget <= 0) return;
    const key = row.key as string;
    const from = (row.storage_class as StorageClass | null) ?? undefined;
    let to: StorageClass | undefined;
    for (const t of transitions) {
      const due = t.days !== undefined ? since + t.days * this.dayMs <= this.now : t.date !== undefined && t.date <= this.now;
      if (due && isColder(t.storageClass, to ?? from)) to = t.storageClass;
    }
    if (to === undefined || !covers(rule, key, row.size as number, tagsOf(row))) return;
    this.budget--;
    this.target.rows.setStorageClass(key, row.version_id as string, to);
    this.target.transitioned(key, row.version_id as string);
  }

  abortUploads(rule: LifecycleRule): void {
    if (rule.abortDays === undefined || this.budget <= 0) return;
    const begunBy = this.now - rule.abortDays * this.dayMs;
    const rows = this.select("SELECT upload_id, key FROM uploads t WHERE initiated <= ?", rule.prefix, [begunBy]);
    for (const row of rows) {
      if (this.budget-- <= 0) return;
      this.released.push(...this.target.uploads.remove(row.upload_id as string));
    }
  }

  private apply(key: string, change: VersionChange, latest: boolean): void {
    this.budget--;
    this.released.push(...change.released);
    this.target.expired(key, change, latest);
  }

  /** Rows of `query` (its table named `t`, a WHERE given) for keys under `prefix`, in `order`, at most the budget. */
  private select(query: string, prefix: string, values: SqlStorageValue[], order = "key"): Row[] {
    const end = prefixEnd(prefix);
    const bounds = end === undefined ? " AND t.key >= ?" : " AND t.key >= ? AND t.key < ?";
    const statement = `${query}${bounds} ORDER BY ${order} LIMIT ${this.budget}`;
    return this.target.sql.exec<Row>(statement, ...values, prefix, ...(end === undefined ? [] : [end])).toArray();
  }
}

function tagsOf(row: Row): TagSet {
  return JSON.parse(row.tags as string) as TagSet;
}
