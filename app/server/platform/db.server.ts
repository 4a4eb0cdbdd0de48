import { sql, type Placeholder, type SQL } from "drizzle-orm";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as schema from "../../../db/schema";
import { env, type SqliteSynchronous } from "./env.server";
import { currentTransaction, guardConnection, guardOf, runInTransaction } from "./sqlite-guard.server";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/**
 * What a transaction body and the building blocks that join a caller's transaction are handed. On
 * SQLite, the client itself: `inTransaction` keeps its one connection for the open transaction.
 */
export type Tx = Db;

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
  const openReader = () => {
    if (sqlite.memory) return null;
    const reader = new Database(sqlite.name, { readonly: true, fileMustExist: true });
    reader.pragma("busy_timeout = 5000");
    return reader;
  };
  return drizzle(guardConnection(sqlite, openReader), { schema });
}

/**
 * Runs `body` in one transaction on `client` (the portal's by default): committed when it
 * resolves, rolled back when it throws. The body may await; while it runs, other requests' reads
 * see the last committed state and their transactions wait their turn (sqlite-guard.server.ts,
 * docs/decisions/026). Inside a transaction, a nested call is a savepoint: rolled back alone when
 * its body throws. BEGIN IMMEDIATE takes the write lock at once, so two processes on one file queue
 * at the start (busy_timeout) instead of failing at their first write.
 */
export async function inTransaction<T>(body: (tx: Tx) => Promise<T>, client: Db = db()): Promise<T> {
  const sqlite = client.$client;
  const guard = guardOf(sqlite);
  const here = currentTransaction();
  if (here?.guard === guard) {
    const depth = here.depth + 1;
    const savepoint = `sp${depth}`;
    sqlite.exec(`savepoint ${savepoint}`);
    try {
      const result = await runInTransaction({ guard, depth }, () => body(client));
      sqlite.exec(`release ${savepoint}`);
      return result;
    } catch (error) {
      sqlite.exec(`rollback to ${savepoint}`);
      sqlite.exec(`release ${savepoint}`);
      throw error;
    }
  }
  const release = await guard.acquire();
  try {
    sqlite.exec("begin immediate");
    const transaction = { guard, depth: 0 };
    guard.open = transaction;
    try {
      const result = await runInTransaction(transaction, () => body(client));
      sqlite.exec("commit");
      return result;
    } catch (error) {
      if (sqlite.inTransaction) sqlite.exec("rollback");
      throw error;
    }
  } finally {
    guard.open = null;
    release();
  }
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

/**
 * The rows of a hand-written SQL query, awaited like every other statement: the place where the
 * dialects' ways of running raw SQL meet (better-sqlite3 `all`, node-postgres `execute`).
 * Callers parse the rows (zod).
 */
export async function selectRaw(tx: Tx, query: SQL): Promise<unknown[]> {
  return tx.all(query);
}

/** A hand-written SQL statement that returns no rows, awaited. */
export async function runRaw(tx: Tx, query: SQL): Promise<void> {
  tx.run(query);
}
