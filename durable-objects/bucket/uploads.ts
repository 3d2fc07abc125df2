/**
 * A bucket's multipart uploads in progress and their parts (tables `uploads` and `parts`).
 *
 * Upload ids are `<initiated, 12 hex digits of ms><192 random bits, base64url>`: unguessable,
 * and in S3's listing order by themselves — S3 lists a key's uploads by initiation time yet
 * pages them with an upload-id-marker compared lexicographically; with the time in front,
 * both orders are one. An id only ever names an upload of this bucket and of its key: any
 * other bucket or key answers NoSuchUpload.
 *
 * A completed upload is remembered for a day (`completed_uploads`), so that a retry of its
 * CompleteMultipartUpload can be answered as the first one was.
 *
 * Callers run each method within one synchronous turn, which workerd commits atomically;
 * the blobs a change frees (a replaced part, an aborted upload) are handed back for
 * storage-service to release.
 *
 * Finding an upload and storing a part run for every part uploaded, so they are plain SQL
 * (as version-rows.ts); the rest uses drizzle's builder.
 */
import { and, asc, eq, gt, lt } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { BlobRef } from "../../shared/records";
import type { ChosenPart, CompletedUpload, PartRecord, PartsPage, UploadRecord, UploadTemplate } from "../../shared/uploads";
import { completedUploads, parts, uploads } from "./schema";

const RANDOM_BYTES = 24;
/** How long a completed upload is remembered for a retried CompleteMultipartUpload. */
const REMEMBER_COMPLETED_MS = 24 * 60 * 60 * 1000;

type PartRow = typeof parts.$inferSelect;

const SELECT_UPLOAD = "SELECT upload_id, key, initiated, template FROM uploads WHERE upload_id = ?";
const SELECT_PART_BLOB = "SELECT blob FROM parts WHERE upload_id = ? AND part_number = ?";
const UPSERT_PART =
  "INSERT INTO parts (upload_id, part_number, size, etag, last_modified, blob, checksum, cipher_part) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (upload_id, part_number) DO UPDATE SET size = excluded.size, etag = excluded.etag, last_modified = excluded.last_modified, blob = excluded.blob, checksum = excluded.checksum, cipher_part = excluded.cipher_part";

export class UploadRows {
  constructor(
    private readonly db: DrizzleSqliteDODatabase,
    private readonly statements: SqlStorage,
  ) {}

  create(key: string, template: UploadTemplate, initiated: number): UploadRecord {
    const upload: UploadRecord = { uploadId: newUploadId(initiated), key, initiated, template };
    this.db.insert(uploads).values(upload).run();
    return upload;
  }

  /** The upload, if it exists and is one of `key`. */
  find(uploadId: string, key: string): UploadRecord | undefined {
    const row = this.statements.exec<{ upload_id: string; key: string; initiated: number; template: string }>(SELECT_UPLOAD, uploadId).toArray()[0];
    if (!row || row.key !== key) return undefined;
    return { uploadId: row.upload_id, key: row.key, initiated: row.initiated, template: JSON.parse(row.template) as UploadTemplate };
  }

  /** Stores a part, replacing one of the same number; returns the blob it replaced. */
  putPart(uploadId: string, part: PartRecord): BlobRef[] {
    const oldText = this.statements.exec<{ blob: string | null }>(SELECT_PART_BLOB, uploadId, part.partNumber).toArray()[0]?.blob;
    const old = oldText ? (JSON.parse(oldText) as BlobRef | null) : null;
    const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
    this.statements.exec(UPSERT_PART, uploadId, part.partNumber, part.size, part.etag, part.lastModified, json(part.blob), json(part.checksum), part.cipherPart ?? null);
    return old && old.id !== part.blob?.id ? [old] : [];
  }

  /** Parts numbered above `after`, in order; one more is looked at to tell truncation. */
  listParts(upload: UploadRecord, after: number, maxParts: number): PartsPage {
    const rows = this.db
      .select()
      .from(parts)
      .where(and(eq(parts.uploadId, upload.uploadId), gt(parts.partNumber, after)))
      .orderBy(asc(parts.partNumber))
      .limit(maxParts + 1)
      .all();
    return { upload, parts: rows.slice(0, maxParts).map(toPart), isTruncated: rows.length > maxParts };
  }

  allParts(uploadId: string): PartRecord[] {
    return this.db.select().from(parts).where(eq(parts.uploadId, uploadId)).orderBy(asc(parts.partNumber)).all().map(toPart);
  }

  /**
   * Whether every chosen part is still the one the gateway read (a part uploaded again in
   * between has another blob): the completed object must be exactly what was checked.
   */
  stillChosen(uploadId: string, chosen: ChosenPart[]): boolean {
    const current = new Map(this.allParts(uploadId).map((p) => [p.partNumber, p.blob?.id ?? null]));
    return chosen.every((c) => current.has(c.partNumber) && current.get(c.partNumber) === c.blobId);
  }

  /** Remembers an upload just completed, and forgets those completed over a day ago. */
  rememberCompleted(uploadId: string, completed: CompletedUpload, at = Date.now()): void {
    this.db
      .delete(completedUploads)
      .where(lt(completedUploads.completedAt, at - REMEMBER_COMPLETED_MS))
      .run();
    this.db
      .insert(completedUploads)
      .values({ uploadId, ...completed, completedAt: at })
      .onConflictDoNothing()
      .run();
  }

  /** The upload of `key`, if it was completed within the last day. */
  private completed(uploadId: string, key: string): CompletedUpload | undefined {
    const row = this.db.select().from(completedUploads).where(eq(completedUploads.uploadId, uploadId)).get();
    if (!row || row.key !== key || row.completedAt < Date.now() - REMEMBER_COMPLETED_MS) return undefined;
    const { uploadId: _id, completedAt: _at, encryption, ...completed } = row;
    return encryption ? { ...completed, encryption } : completed;
  }

  /** The upload of `key`, or what it was completed with lately. */
  findOrCompleted(uploadId: string, key: string): UploadRecord | { completed: CompletedUpload } | undefined {
    const upload = this.find(uploadId, key);
    if (upload) return upload;
    const completed = this.completed(uploadId, key);
    return completed ? { completed } : undefined;
  }

  /** Every upload gone, completed ones forgotten (the bucket is deleted); their parts' blobs. */
  removeAll(): BlobRef[] {
    const removed = this.db.delete(parts).returning({ blob: parts.blob }).all();
    this.db.delete(uploads).run();
    this.db.delete(completedUploads).run();
    return removed.flatMap((r) => (r.blob ? [r.blob] : []));
  }

  /** Deletes the upload and its parts; returns the parts' blobs but those in `keep`. */
  remove(uploadId: string, keep: ReadonlySet<string> = new Set()): BlobRef[] {
    const removed = this.db.delete(parts).where(eq(parts.uploadId, uploadId)).returning({ blob: parts.blob }).all();
    this.db.delete(uploads).where(eq(uploads.uploadId, uploadId)).run();
    return removed.flatMap((r) => (r.blob && !keep.has(r.blob.id) ? [r.blob] : []));
  }
}

function toPart(row: PartRow): PartRecord {
  const part: PartRecord = { partNumber: row.partNumber, size: row.size, etag: row.etag, lastModified: row.lastModified, blob: row.blob ?? null };
  if (row.checksum) part.checksum = row.checksum;
  if (row.cipherPart !== null) part.cipherPart = row.cipherPart;
  return part;
}

function newUploadId(initiated: number): string {
  const random = crypto.getRandomValues(new Uint8Array(RANDOM_BYTES));
  const base64url = btoa(String.fromCharCode(...random))
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
  return initiated.toString(16).padStart(12, "0") + base64url;
}
