import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import path from "node:path";
import type pg from "pg";
import { seedDatabase } from "../../../db/seed";
import { rebuildRollupsIfMissing } from "../statistics/rollup.server";
import { db, openDatabase, postgresPool, type Db } from "./db.server";
import { env, type SqliteSynchronous } from "./env.server";

/**
 * Brings a database up to date: the committed drizzle-kit migrations, the statistics counters when
 * the log has events but no counters, and (when asked) the catalog and demo accounts. Each step is
 * idempotent, so running it on a current database changes nothing.
 */
async function prepare(client: Db, options: { seed: boolean }): Promise<void> {
  const pool = postgresPool(client);
  if (pool) return preparePostgres(client, pool, options);
  const sqlite = client.$client;
  // Foreign keys are off while migrating, as SQLite's table-rebuild procedure requires (a pragma
  // inside the migrator's transaction would be ignored), then checked once and switched back on.
  sqlite.pragma("foreign_keys = OFF");
  migrate(client, { migrationsFolder: path.resolve("db/migrations") });
  const broken = sqlite.pragma("foreign_key_check");
  if (Array.isArray(broken) && broken.length > 0) throw new Error(`foreign key check failed after migrating: ${JSON.stringify(broken.slice(0, 5))}`);
  sqlite.pragma("foreign_keys = ON");
  // A database whose events were logged before the daily counters existed gets them once.
  await rebuildRollupsIfMissing(client);
  if (options.seed) await seedDatabase(client);
}

/** Any number, the same in every process: the key of the advisory lock start-up holds on PostgreSQL. */
const START_UP_LOCK = 15_270_326;

/**
 * The same on PostgreSQL (db/pg/migrations), one process at a time: processes starting together
 * wait on an advisory lock, held on a connection of its own, while the first migrates and seeds;
 * the others then find nothing to do.
 */
async function preparePostgres(client: Db, pool: pg.Pool, options: { seed: boolean }): Promise<void> {
  const lock = await pool.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [START_UP_LOCK]);
    await migratePg(drizzlePg(pool), { migrationsFolder: path.resolve("db/pg/migrations") });
    await rebuildRollupsIfMissing(client);
    if (options.seed) await seedDatabase(client);
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [START_UP_LOCK]).catch(() => undefined);
    lock.release();
  }
}

/**
 * The portal's start-up step for its own database (DATABASE_PATH), through the client `db()`
 * returns: migrate, rebuild missing counters, and seed unless SEED_ON_START=false. server.js calls it
 * once before it listens (through the server build, so in the build's module instance), and so do
 * the db scripts and jobs run on their own.
 */
export async function bootstrap(options: { seed?: boolean } = {}): Promise<Db> {
  const client = db();
  await prepare(client, { seed: options.seed ?? env().SEED_ON_START === "true" });
  return client;
}

/**
 * The same step on a file of the caller's choosing with a client of its own (the scale generator,
 * benchmarks, the test suite's template database); the caller closes it.
 */
export async function bootstrapFile(file: string, options: { seed: boolean; synchronous?: SqliteSynchronous }): Promise<Db> {
  const client = openDatabase(file, { synchronous: options.synchronous });
  try {
    await prepare(client, { seed: options.seed });
  } catch (error) {
    client.$client.close();
    throw error;
  }
  return client;
}
