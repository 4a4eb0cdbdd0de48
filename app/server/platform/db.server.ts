import { sql, type Placeholder } from "drizzle-orm";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as schema from "../../../db/schema";
import { env, type SqliteSynchronous } from "./env.server";

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
 * Opens (creating) an SQLite file with the portal's connection settings and foreign keys on, and
 * nothing else: no migration, no seed. Bringing the file up to date is bootstrap's job
 * (bootstrap.server.ts), run once at start-up. SQLite settings: docs/decisions/002-sqlite-settings.md.
 */
export function openDatabase(file: string, options: { synchronous?: SqliteSynchronous } = {}): Db {
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  configureConnection(sqlite, { synchronous: options.synchronous ?? "NORMAL" });
  sqlite.pragma("foreign_keys = ON");
  return drizzle(sqlite, { schema });
}

declare global {
  // Survives module reloads in development so there is one connection.
  var __portalDb: Db | undefined;
}

/** The portal's client on DATABASE_PATH, opened on first use; server.js and the scripts run bootstrap() first. */
export function db(): Db {
  globalThis.__portalDb ??= openDatabase(env().DATABASE_PATH, { synchronous: env().SQLITE_SYNCHRONOUS });
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

/**
 * Statements prepared once per connection for functions handed a `Tx` (the client or one of its
 * transactions): compiling a statement costs more than running it on the hot paths (an event and
 * its counters, a view, an IPN). A statement belongs to its connection and runs in whatever
 * transaction is open on it. Keyed by drizzle's session, which a client and all its transactions
 * share (an internal field: without it, the statements are prepared anew, still correct).
 */
export function preparedPerConnection<T extends object>(make: (tx: Tx) => T): (tx: Tx) => T {
  const made = new WeakMap<object, T>();
  return (tx) => {
    const session: unknown = Reflect.get(tx, "session");
    if (typeof session !== "object" || session === null) return make(tx);
    let found = made.get(session);
    if (!found) made.set(session, (found = make(tx)));
    return found;
  };
}

/** `{ k: placeholder "k" }` for each key, typed as drizzle's values() wants them (Object.fromEntries loses the keys). */
export function placeholders<const K extends string>(keys: readonly K[]): Record<K, Placeholder<K>> {
  return Object.fromEntries(keys.map((k) => [k, sql.placeholder(k)])) as Record<K, Placeholder<K>>;
}

/** The values of a prepared statement's placeholders: each key's value in `row`, null where it has none (an absent column). */
export function placeholderValues<K extends string>(keys: readonly K[], row: Partial<Record<K, unknown>>): Record<K, unknown> {
  return Object.fromEntries(keys.map((k) => [k, row[k] ?? null])) as Record<K, unknown>;
}
