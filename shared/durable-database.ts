/**
 * Opens a Durable Object's SQLite through drizzle and applies its drizzle-kit migrations
 * before the first call is let in (`blockConcurrencyWhile`), as drizzle's durable-sqlite
 * guide does.
 */
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";

export interface Migrations {
  journal: { entries: Array<{ idx: number; when: number; tag: string; breakpoints: boolean }> };
  migrations: Record<string, string>;
}

export function openDatabase(ctx: DurableObjectState, migrations: Migrations, afterMigrate?: () => void): DrizzleSqliteDODatabase {
  const db = drizzle(ctx.storage, { logger: false });
  void ctx.blockConcurrencyWhile(async () => {
    await migrate(db, migrations);
    afterMigrate?.();
  });
  return db;
}
