// `npm run stats:verify`: recomputes the statistics from the raw event log and compares them with
// what the portal stored (the daily counters, their sums per agency subtree, every metric); prints what disagrees and exits 1 if anything does (0 otherwise).
// It only reads: the database is not migrated nor repaired (bootstrap would refill missing counters
// and so hide what this is meant to find), and must already exist. SQLite's file (DATABASE_PATH) is
// opened read-only; on PostgreSQL (DATABASE_URL) the portal's client is used as it is.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import * as schema from "./schema";
import { closeDatabase, db as portalDb, type Db } from "../app/server/platform/db.server";
import { env } from "../app/server/platform/env.server";
import { guardConnection } from "../app/server/platform/sqlite-guard.server";
import { verifyRollups } from "../app/server/statistics/rollup.server";
import { verifyMetrics } from "../app/server/statistics/verify.server";

const SHOWN = 20;

/** One comparison of stored figures with the raw log: a summary line and what disagrees. */
type Check = (db: Db) => Promise<{ summary: string; mismatches: string[] }>;

/** One recount of the log serves both counter checks (it is the slow part on a large log). */
let recount: ReturnType<typeof verifyRollups> | undefined;
const recounted = (db: Db) => (recount ??= verifyRollups(db));

/** The daily counters (daily_counts), cell by cell. */
const rollupCheck: Check = async (db) => {
  const result = await recounted(db);
  return {
    summary: `checked ${result.checkedEvents} events, ${result.actualRows} rollup rows (${result.expectedRows} expected): ${result.mismatches.length} mismatches`,
    mismatches: result.mismatches.map(
      ({ key, expected, actual }) =>
        `  ${key.metric} ${key.day} agency=${key.agencyId} procedure=${key.procedureId} channel=${key.channel || "-"}: expected ${expected ?? "no row"}, found ${actual ?? "no row"}`,
    ),
  };
};

/** The tables kept from the counters and the catalog (subtree counters and totals, portal use, catalog counts), row by row. */
const derivedCheck: Check = async (db) => {
  const { derived } = await recounted(db);
  return {
    summary: `checked ${derived.actualRows} rows of the subtree counters and the tables kept with them (${derived.expectedRows} expected): ${derived.mismatches.length} mismatches`,
    mismatches: derived.mismatches.map(
      ({ table, key, expected, actual }) => `  ${table} ${key}: expected ${expected ?? "no row"}, found ${actual ?? "no row"}`,
    ),
  };
};

/** Every metric (app/core/statistics/metrics.ts), from the log vs from the counters, nationally and per group. */
const metricCheck: Check = async (db) => {
  const result = await verifyMetrics(db);
  const period = result.period ? ` over ${result.period.from} … ${result.period.to}` : " (the log is empty)";
  return { summary: `checked ${result.checked} metric figures${period}: ${result.mismatches.length} mismatches`, mismatches: result.mismatches };
};

const CHECKS: Check[] = [rollupCheck, derivedCheck, metricCheck];

/** The database to check: PostgreSQL's client, or the SQLite file opened read-only. */
function open(): Db {
  if (env().DATABASE_URL) return portalDb();
  const file = env().DATABASE_PATH;
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    console.error(`cannot open ${file}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  sqlite.pragma("busy_timeout = 5000");
  // Guarded as the portal's connection is: the recount runs in inTransaction, which on this read-only
  // connection takes no write lock and reads one snapshot.
  return drizzle(
    guardConnection(sqlite, () => null),
    { schema },
  );
}

const db = open();
let failed = 0;
try {
  for (const check of CHECKS) {
    const { summary, mismatches } = await check(db);
    console.log(summary);
    for (const line of mismatches.slice(0, SHOWN)) console.log(line);
    if (mismatches.length > SHOWN) console.log(`  … and ${mismatches.length - SHOWN} more`);
    failed += mismatches.length;
  }
} finally {
  await closeDatabase(db);
}
process.exitCode = failed > 0 ? 1 : 0;
