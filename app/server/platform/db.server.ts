import { sql, type ExtractTablesWithRelations, type Placeholder, type SQL } from "drizzle-orm";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg, type NodePgDatabase, type NodePgQueryResultHKT } from "drizzle-orm/node-postgres";
import { PgTransaction } from "drizzle-orm/pg-core";
import pg from "pg";
import { mkdirSync } from "node:fs";
import path from "node:path";
import * as pgSchema from "../../../db/pg/schema";
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

export type TransactionOptions = {
  /**
   * The body only writes rows no other transaction reads or writes (a new stored file under a fresh
   * random key, its removal): on PostgreSQL it does not wait for the portal's write lock, so a few
   * megabytes on their way to the server do not hold up every other writer. SQLite has one writer
   * whatever this says.
   */
  alone?: boolean;
};

/**
 * Runs `body` in one transaction on `client` (the portal's by default): committed when it
 * resolves, rolled back when it throws. The body may await; while it runs, other requests' reads
 * see the last committed state and their transactions wait their turn (sqlite-guard.server.ts,
 * docs/decisions/026). Inside a transaction, a nested call is a savepoint: rolled back alone when
 * its body throws. BEGIN IMMEDIATE takes the write lock at once, so two processes on one file queue
 * at the start (busy_timeout) instead of failing at their first write.
 */
export async function inTransaction<T>(body: (tx: Tx) => Promise<T>, client: Db = db(), options: TransactionOptions = {}): Promise<T> {
  const postgres = postgresOf.get(client);
  if (postgres) return inPostgresTransaction(postgres, body, options);
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

/** The database the portal runs on: PostgreSQL when DATABASE_URL is set, else the SQLite file. */
export type Dialect = "sqlite" | "postgres";
export function dialect(): Dialect {
  return env().DATABASE_URL ? "postgres" : "sqlite";
}

/** Whether a client (or transaction) is on PostgreSQL: where the stores must say a thing differently. */
export function onPostgres(client: Db): boolean {
  return postgresOf.has(client);
}

/** The PostgreSQL pool under a client, for what only PostgreSQL does (its migrator, an advisory lock); undefined on SQLite. */
export function postgresPool(client: Db): pg.Pool | undefined {
  const postgres = postgresOf.get(client);
  const pool: unknown = postgres ? Reflect.get(postgres, "$client") : undefined;
  return pool instanceof pg.Pool ? pool : undefined;
}

/**
 * The portal's client, opened on first use (server.js and the scripts run bootstrap() first): the
 * SQLite file at DATABASE_PATH, or the pool on DATABASE_URL. Inside a PostgreSQL transaction, the
 * transaction: a store function that asks for `db()` there runs in it, as on SQLite's one connection.
 */
export function db(): Db {
  const inside = currentTransaction()?.postgres;
  if (inside) return inside;
  globalThis.__portalDb ??= rootClient();
  return globalThis.__portalDb;
}

function rootClient(): Db {
  const config = env();
  if (config.DATABASE_URL) return openPostgres(config.DATABASE_URL, { max: config.DATABASE_POOL_SIZE });
  return openDatabase(config.DATABASE_PATH, { synchronous: config.SQLITE_SYNCHRONOUS });
}

/**
 * A drizzle client on a PostgreSQL pool, with the twin schema (db/pg/schema.ts). Typed as the
 * SQLite client: the stores are written once, against one set of types, with the statements both
 * builders share (awaited selects, inserts, updates, deletes, upserts, `returning`); the twin's row
 * types are the same (db/pg/schema.test.ts) and the tables the stores name are the dialect's
 * (`schema` below). The integration suite runs on both databases (docs/decisions/027).
 */
export function openPostgres(url: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  return storeClient(drizzlePg(pool, { schema: pgSchema }));
}

type PgClient = NodePgDatabase<typeof pgSchema> | PgTransaction<NodePgQueryResultHKT, typeof pgSchema, ExtractTablesWithRelations<typeof pgSchema>>;
/** Each PostgreSQL client or transaction handed to the stores, under its own type. */
const postgresOf = new WeakMap<Db, PgClient>();

/** The one place the two dialects' types meet (see openPostgres): no inference can bridge them. */
function storeClient(client: PgClient): Db {
  const store = client as unknown as Db;
  postgresOf.set(store, client);
  return store;
}

/** Closes a client's connections (the SQLite file and its read-only twin, or the pool). */
export async function closeDatabase(client: Db): Promise<void> {
  const pool = postgresPool(client);
  if (pool) await pool.end();
  else client.$client.close();
}

/** PostgreSQL's answers that mean "run the transaction again": a serialization failure, a deadlock. */
const RETRY_CODES = new Set(["40001", "40P01"]);
const MAX_ATTEMPTS = 8;

function retryable(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code: unknown = Reflect.get(e, "code");
    if (typeof code === "string" && RETRY_CODES.has(code)) return true;
  }
  return false;
}

/** Any number, the same in every process: the key of the lock every writing transaction takes first. */
const WRITE_LOCK = 15_270_327;

/**
 * A PostgreSQL transaction that first takes the portal's write lock (a transaction-level advisory
 * lock, released at commit or rollback): the writing transactions of every process run one at a
 * time, as SQLite's BEGIN IMMEDIATE makes them, while reads outside transactions and everything
 * else the processes do run side by side. The stores were written for that model — read, check,
 * then write (a draft, a receipt code, a payment attempt) — and with one writer at a time, READ
 * COMMITTED sees every earlier writer's commit, so those sequences stay correct. SERIALIZABLE
 * without the lock was tried first: every submission adds to the same counter rows (the day's
 * national totals), so concurrent writers aborted each other until the retries ran out
 * (docs/decisions/027). A deadlock or serialization failure still runs the body again: bodies hold
 * only database work, so that is safe. Inside a transaction, a nested call is a savepoint of it.
 */
async function inPostgresTransaction<T>(client: PgClient, body: (tx: Tx) => Promise<T>, options: TransactionOptions): Promise<T> {
  const here = currentTransaction();
  const inside = here?.postgres ? postgresOf.get(here.postgres) : undefined;
  const outer = inside ?? (client instanceof PgTransaction ? client : undefined);
  if (outer) {
    return outer.transaction((tx) => {
      const nested = storeClient(tx);
      return runInTransaction({ guard: null, depth: (here?.depth ?? 0) + 1, postgres: nested }, () => body(nested));
    });
  }
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await client.transaction((tx) => {
        const top = storeClient(tx);
        return runInTransaction({ guard: null, depth: 0, postgres: top }, async () => {
          if (!options.alone) await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
          return body(top);
        });
      });
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !retryable(error)) throw error;
      // A short random wait, growing: the transactions that collided do not collide again at once.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
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
  const postgres = postgresOf.get(tx);
  if (postgres) return (await postgres.execute(query)).rows;
  return tx.all(query);
}

/** A hand-written SQL statement that returns no rows, awaited. */
export async function runRaw(tx: Tx, query: SQL): Promise<void> {
  const postgres = postgresOf.get(tx);
  if (postgres) await postgres.execute(query);
  else tx.run(query);
}
