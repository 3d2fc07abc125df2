/**
 * A bucket's own row (schema.ts `bucket`): its owner, region and versioning, its CORS rules,
 * notification targets and stored configuration documents, held in memory too (read once when the object starts).
 */
import { eq } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import type { CorsRule } from "../../shared/cors";
import type { NotificationTarget } from "../../shared/notifications/object-events";
import type { BucketInfo, ConfigDocument } from "../../shared/records";
import { bucket } from "./schema";

export class BucketSettings {
  /** undefined while the bucket does not exist */
  info: BucketInfo | undefined;
  cors: CorsRule[] | null = null;
  notification: NotificationTarget[] | null = null;
  /** stored configuration documents by subresource (schema.ts `configs`) */
  configs: Record<string, ConfigDocument> = {};
  /** what `read` made of each stored document, kept while the document stays the same */
  private readonly readDocuments = new Map<string, { document: ConfigDocument | undefined; value: unknown }>();

  constructor(private readonly db: DrizzleSqliteDODatabase) {}

  /** Reads the row; run once the migrations have. */
  load(): void {
    const row = this.db.select().from(bucket).get();
    if (!row) return;
    const { cors, notification, configs, ...info } = row;
    this.info = info;
    this.configs = configs ?? {};
    this.cors = cors ?? null;
    this.notification = notification ?? null;
  }

  create(info: BucketInfo, configs: Record<string, ConfigDocument> = {}): void {
    this.db
      .insert(bucket)
      .values({ ...info, configs })
      .run();
    this.info = info;
    this.cors = null;
    this.configs = configs;
  }

  drop(): void {
    this.db.delete(bucket).run();
    this.info = undefined;
    this.cors = null;
    this.notification = null;
    this.configs = {};
  }

  setVersioning(versioning: "Enabled" | "Suspended"): BucketInfo {
    this.db.update(bucket).set({ versioning }).where(eq(bucket.name, this.info!.name)).run();
    this.info = { ...this.info!, versioning };
    return this.info;
  }

  setCors(rules: CorsRule[] | null): void {
    this.db.update(bucket).set({ cors: rules }).where(eq(bucket.name, this.info!.name)).run();
    this.cors = rules;
  }

  /** No targets: notifications off. */
  setNotification(targets: NotificationTarget[]): void {
    const stored = targets.length > 0 ? targets : null;
    this.db.update(bucket).set({ notification: stored }).where(eq(bucket.name, this.info!.name)).run();
    this.notification = stored;
  }

  /**
   * A configuration as `read` makes it from its stored text (undefined: never set, null:
   * deleted), read once per stored version of it: writes consult the Object Lock and encryption
   * settings on every object written.
   */
  readConfig<T>(name: string, read: (document: ConfigDocument | undefined) => T): T {
    const document = this.configs[name];
    const kept = this.readDocuments.get(name);
    if (kept && kept.document === document) return kept.value as T;
    const value = read(document);
    this.readDocuments.set(name, { document, value });
    return value;
  }

  setConfig(name: string, document: ConfigDocument): void {
    const configs = { ...this.configs, [name]: document };
    this.db.update(bucket).set({ configs }).where(eq(bucket.name, this.info!.name)).run();
    this.configs = configs;
  }
}
