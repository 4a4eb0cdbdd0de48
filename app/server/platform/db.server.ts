import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as schema from "../../../db/schema";
import { seedDatabase } from "../../../db/seed";
import { env, type SqliteSynchronous } from "./env.server";
import { rebuildRollupsIfMissing } from "../statistics/rollup.server";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The database or a transaction on it: data functions that must join a caller's transaction take this. */
export type Tx = BaseSQLiteDatabase<"sync", Database.RunResult, typeof schema>;

/**
 * The settings every connection that writes to the portal's file uses (the portal, the backup
 * restore check, the benchmarks): WAL so readers never block the writer, commits synced at the
 * given level, and a wait instead of an immediate SQLITE_BUSY while another writer holds the lock.
 */
export function configureConnection(sqlite: Database.Database, options: { synchronous: SqliteSynchronous }): void {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${options.synchronous}`);
  sqlite.pragma("busy_timeout = 5000");
}

/**
 * The one database client. On first use it opens (creating) the SQLite file,
 * applies the committed drizzle-kit migrations and, unless told not to, seeds
 * the catalog and demo accounts (idempotent). SQLite settings are explained in
 * docs/decisions/002-sqlite-settings.md.
 */
export function openDatabase(file: string, options: { seed: boolean; synchronous?: SqliteSynchronous }): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  configureConnection(sqlite, { synchronous: options.synchronous ?? "NORMAL" });
  const db = drizzle(sqlite, { schema });
  // Foreign keys are off while migrating, as SQLite's table-rebuild procedure requires (a pragma
  // inside the migrator's transaction would be ignored), then checked once and switched on.
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: path.resolve("db/migrations") });
  const broken = sqlite.pragma("foreign_key_check");
  if (Array.isArray(broken) && broken.length > 0) throw new Error(`foreign key check failed after migrating: ${JSON.stringify(broken.slice(0, 5))}`);
  sqlite.pragma("foreign_keys = ON");
  // A database whose events were logged before the daily counters existed gets them once.
  rebuildRollupsIfMissing(db);
  if (options.seed) seedDatabase(db);
  return db;
}

declare global {
  // Survives module reloads in development so there is one connection.
  var __portalDb: Db | undefined;
}

export function db(): Db {
  globalThis.__portalDb ??= openDatabase(env().DATABASE_PATH, { seed: env().SEED_ON_START === "true", synchronous: env().SQLITE_SYNCHRONOUS });
  return globalThis.__portalDb;
}

/**
 * Something kept for each database client (a prepared statement, a cache), made on first use:
 * tests and scripts open several clients, and a statement belongs to the one it was prepared on.
 */
export function perDatabase<T extends object>(make: (client: Db) => T): () => T {
  const made = new WeakMap<Db, T>();
  return () => {
    const client = db();
    let value = made.get(client);
    if (!value) made.set(client, (value = make(client)));
    return value;
  };
}
